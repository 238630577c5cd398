/// Every known device: the records (in compact form, their strings in `DeviceLabels`;
/// `record(_:)` puts one together), the id index, each device's offline
/// deadline in one heap, the `offline` statuses waiting for confirmation, and the queue of
/// `last_seen` values to flush. It answers what it knows and returns the transitions it made; it
/// opens no incidents.
struct DeviceRegistry {
    /// How long an `offline` status waits for our own connection to prove it was not the broker
    /// shutting down: a broker that stops publishes every client's will first.
    static let statusConfirmDelay = 0.5

    private(set) var devices: [TrackedDevice] = []
    /// The records' ids, sites, kinds (with their settings) and names.
    private var labels: DeviceLabels
    private var index = DeviceIndex()
    private var deadlines = DeadlineHeap()
    private var lastSeenQueue = LastSeenQueue()
    /// Registered since the last `takeNewlyRegistered()`: their records still need saving.
    private var newlyRegistered: [DeviceSlot] = []
    /// Devices reported offline by status, and when that takes effect (monotonic).
    private var offlineStatuses: [DeviceSlot: Double] = [:]
    private var maxDevices: Int
    /// Slots of forgotten devices, taken again by the next registrations.
    private var freeSlots: [DeviceSlot] = []
    /// Where the next scan for devices to forget starts.
    private var forgetCursor = 0
    /// Devices forgotten since the engine started, and devices added (a new one bumps it).
    private(set) var forgottenCount = 0
    private(set) var registrations = 0

    init(kinds: [String: KindSettings], maxDevices: Int) {
        labels = DeviceLabels(kinds: kinds)
        self.maxDevices = maxDevices
    }

    /// Devices known now (forgotten ones not counted).
    var count: Int { devices.count - freeSlots.count }

    subscript(slot: DeviceSlot) -> TrackedDevice { devices[Int(slot)] }

    /// The device's record, put together from its compact entry (the id is a new `String`: off
    /// the per-heartbeat path, use `id(_:)` only when an incident or a sample needs it).
    func record(_ slot: DeviceSlot) -> DeviceRecord {
        let d = devices[Int(slot)]
        return DeviceRecord(
            id: labels.id(d.id), site: labels.site(d.site), kind: labels.kindName(d.kind), name: labels.name(slot),
            inventory: d.inventory, state: d.state, stateSince: d.stateSince, lastSeen: d.lastSeen,
            clockSkewed: d.clockSkewed, firmware: d.firmware)
    }

    func id(_ slot: DeviceSlot) -> String { labels.id(devices[Int(slot)].id) }

    func site(_ slot: DeviceSlot) -> String { labels.site(devices[Int(slot)].site) }

    func kindName(_ slot: DeviceSlot) -> String { labels.kindName(devices[Int(slot)].kind) }

    func kind(of slot: DeviceSlot) -> KindSettings { labels.settings(ofKind: devices[Int(slot)].kind) }

    func slot(of id: UnsafeBufferPointer<UInt8>) -> DeviceSlot? {
        index.find(hash: DeviceIndex.hash(id)) { labels.id(devices[Int($0)].id, equals: id) }
    }

    func slot(of id: String) -> DeviceSlot? {
        var id = id
        return id.withUTF8 { slot(of: $0) }
    }

    /// How often the device is expected to send: its own `interval_s`, else its kind's.
    func heartbeatInterval(_ slot: DeviceSlot) -> Double {
        devices[Int(slot)].intervalOverride ?? kind(of: slot).intervalSeconds
    }

    func hasDevices(atSite site: String) -> Bool {
        guard let site = labels.siteIndex(of: site) else { return false }
        return devices.contains { !$0.forgotten && $0.site == site }
    }

    /// The slots of the known devices at `site`.
    func slots(atSite site: String) -> [DeviceSlot] {
        guard let site = labels.siteIndex(of: site) else { return [] }
        return devices.indices.filter { !devices[$0].forgotten && devices[$0].site == site }.map { DeviceSlot($0) }
    }

    /// Every known device's record (none forgotten).
    var knownRecords: [DeviceRecord] {
        devices.indices.filter { !devices[$0].forgotten }.map { record(DeviceSlot($0)) }
    }

    /// The kind of the device in each slot, by slot ("" for a free one): what the parts that
    /// keep state by kind need on a reload.
    var kindOfEachSlot: [String] { devices.map { $0.forgotten ? "" : labels.kindName($0.kind) } }

    // MARK: registration

    /// Adds a device; everyone not offline, in maintenance or sleeping gets a deadline (heard
    /// devices by timeout, the others by the end of the grace period). A sleeping device gets one
    /// when its site opens (`awaitWake`).
    mutating func insert(_ record: DeviceRecord) -> DeviceSlot {
        let kind = labels.internKind(record.kind)
        let tracked = TrackedDevice(
            record, id: labels.addID(record.id), site: labels.internSite(record.site), kind: kind,
            timeout: labels.settings(ofKind: kind).offlineTimeout())
        let slot: DeviceSlot
        if let free = freeSlots.popLast() {
            slot = free
            devices[Int(free)] = tracked
        } else {
            slot = DeviceSlot(devices.count)
            devices.append(tracked)
        }
        labels.setName(record.name, of: slot)
        if record.state != .offline && record.state != .maintenance && record.state != .sleeping {
            deadlines.push(0, slot)
            devices[Int(slot)].armed = true
        }
        index.insert(slot, hash: record.id.utf8Hash)
        registrations += 1
        return slot
    }

    /// Removes a device; its slot is free for the next registration (entries it left in the
    /// deadline heap are skipped, or re-checked for the device that takes the slot).
    mutating func forget(_ slot: DeviceSlot) {
        let i = Int(slot)
        index.remove(slot, hash: labels.idHash(devices[i].id))
        let removed = devices[i].id
        offlineStatuses[slot] = nil
        if devices[i].lastSeenDirty { lastSeenQueue.remove(slot) }
        newlyRegistered.removeAll { $0 == slot }
        var empty = TrackedDevice(
            DeviceRecord(id: "", site: "", kind: "", inventory: false, state: .offline, stateSince: 0),
            id: .empty, site: labels.internSite(""), kind: labels.internKind(""), timeout: .infinity)
        empty.forgotten = true
        devices[i] = empty
        freeSlots.append(slot)
        forgottenCount += 1
        if let moved = labels.remove(slot, id: removed, spans: { devices.map(\.id) }) {
            for k in devices.indices { devices[k].id = moved[k] }
        }
    }

    /// Auto-registered devices (not in the inventory, not in maintenance) last heard, or
    /// registered, before `wall`: the ones to forget. Looks at `slice` slots per call, going
    /// round, so a large registry costs a little every second rather than a lot at once.
    mutating func silentDevices(before wall: Double, slice: Int) -> [DeviceSlot] {
        guard !devices.isEmpty else { return [] }
        var silent: [DeviceSlot] = []
        for _ in 0..<min(slice, devices.count) {
            if forgetCursor >= devices.count { forgetCursor = 0 }
            let d = devices[forgetCursor]
            if !d.forgotten, !d.inventory, d.state != .maintenance, (d.lastSeen ?? d.stateSince) < wall {
                silent.append(DeviceSlot(forgetCursor))
            }
            forgetCursor += 1
        }
        return silent
    }

    /// Finds the device a message is about, registering an unknown one, or says why not. The
    /// per-message path: a registered device at its registered site and kind is found from the
    /// topic's bytes, without building a `String` (Benchmarks: ingest).
    /// Only a heartbeat registers (`registering`): a status alone is refused as `unknown_device`,
    /// so a flood of statuses for made-up ids creates no phantom devices (SPEC §4: devices not
    /// listed are registered on their first heartbeat).
    mutating func resolve(
        _ topic: RawDeviceTopic, registering: Bool = true,
        at now: Moment
    ) -> Result<DeviceSlot, Rejection> {
        if let slot = slot(of: topic.device),
            labels.site(devices[Int(slot)].site).utf8Equals(topic.site),
            labels.kindName(devices[Int(slot)].kind).utf8Equals(topic.kind)
        {
            return .success(slot)
        }
        return resolve(topic.strings, registering: registering, at: now)
    }

    /// `resolve` for a topic in strings: registers a new device, or explains a mismatch.
    mutating func resolve(
        _ topic: DeviceTopic, registering: Bool = true,
        at now: Moment
    ) -> Result<DeviceSlot, Rejection> {
        if let slot = slot(of: topic.device) {
            let site = site(slot)
            let kind = kindName(slot)
            guard site == topic.site, kind == topic.kind else {
                return .failure(
                    Rejection(.inventoryMismatch, "device \(topic.device) is registered at \(site)/\(kind)"))
            }
            return .success(slot)
        }
        guard labels.isConfigured(kind: topic.kind) else {
            return .failure(Rejection(.unknownKind, "kind \(topic.kind) is not configured"))
        }
        guard registering else {
            return .failure(
                Rejection(
                    .unknownDevice,
                    "device \(topic.device) has sent no heartbeat: only a heartbeat registers it"))
        }
        guard count < maxDevices else {
            return .failure(Rejection(.deviceLimit, "max_devices (\(maxDevices)) reached"))
        }
        let record = DeviceRecord(
            id: topic.device, site: topic.site, kind: topic.kind, inventory: false,
            state: .unknown, stateSince: now.wall)
        let slot = insert(record)
        // Registered by its `online` status, which comes before its first heartbeat: it gets its
        // timeout from now, as if heard, rather than a grace that may have ended long ago (it
        // was offline at the next tick). A heartbeat sets this again at once.
        devices[Int(slot)].lastSeenMonotonic = now.monotonic
        newlyRegistered.append(slot)
        return .success(slot)
    }

    /// Devices registered by `resolve` since the last call, whose records must be saved.
    mutating func takeNewlyRegistered() -> [DeviceSlot] {
        guard !newlyRegistered.isEmpty else { return [] }
        defer { newlyRegistered.removeAll(keepingCapacity: true) }
        return newlyRegistered
    }

    /// Puts an inventory entry's site, kind and name on a known device; returns the record before
    /// the change when something changed. A new kind brings its own offline timeout at once: kept
    /// from the old kind (until the next reload, as before), a device moved to a kind that sends
    /// less often went offline between its heartbeats.
    mutating func applyInventory(_ entry: InventoryDevice, to slot: DeviceSlot) -> DeviceRecord? {
        let before = record(slot)
        var after = before
        after.site = entry.site
        after.kind = entry.kind
        after.name = entry.name
        after.inventory = true
        guard after != before else { return nil }
        let i = Int(slot)
        devices[i].site = labels.internSite(entry.site)
        devices[i].kind = labels.internKind(entry.kind)
        devices[i].inventory = true
        labels.setName(entry.name, of: slot)
        if after.kind != before.kind {
            setTimeout(slot, kind(of: slot).offlineTimeout(deviceInterval: devices[i].intervalOverride))
        }
        return before
    }

    /// A reload: new kinds (timeouts) and limits; devices and their liveness stay.
    mutating func configure(kinds: [String: KindSettings], maxDevices: Int) {
        labels.configure(kinds: kinds)
        self.maxDevices = maxDevices
        for slot in devices.indices {
            setTimeout(
                DeviceSlot(slot),
                kind(of: DeviceSlot(slot)).offlineTimeout(deviceInterval: devices[slot].intervalOverride))
        }
    }

    // MARK: what a device tells us

    /// A heartbeat arrived: liveness, the device's own interval, firmware and clock skew. Returns
    /// true when the stored record changed in a way that must be saved now (clock skew); last
    /// seen is flushed in batches instead.
    mutating func heard(_ slot: DeviceSlot, _ beat: Heartbeat, maxClockSkew: Double, at now: Moment) -> Bool {
        let i = Int(slot)
        if !offlineStatuses.isEmpty { offlineStatuses[slot] = nil }  // alive after all
        devices[i].lastSeenMonotonic = now.monotonic
        devices[i].lastSeen = now.wall
        if !devices[i].lastSeenDirty {
            devices[i].lastSeenDirty = true
            lastSeenQueue.append(slot)
        }
        if let interval = beat.intervalSeconds, interval != devices[i].intervalOverride {
            devices[i].intervalOverride = interval
            setTimeout(slot, kind(of: slot).offlineTimeout(deviceInterval: interval))
        }
        if let firmware = beat.firmware, firmware != devices[i].firmware { devices[i].firmware = firmware }
        var changed = false
        if let ts = beat.timestamp {
            let skewed = abs(ts - now.wall) > maxClockSkew
            if skewed != devices[i].clockSkewed {
                devices[i].clockSkewed = skewed
                changed = true
            }
        }
        if !devices[i].armed && devices[i].state != .maintenance {
            deadlines.push(now.monotonic + devices[i].timeout, slot)
            devices[i].armed = true
        }
        return changed
    }

    mutating func setHealth(_ slot: DeviceSlot, _ health: Heartbeat.Health) { devices[Int(slot)].health = health }

    /// A takeover (HA): the standby heard this device at `heardAt` (monotonic, this process's
    /// clock) with its own `interval`; its deadline follows from that instead of a grace period.
    /// Its state is left alone (the database's), and nothing is marked to be flushed.
    mutating func warm(_ slot: DeviceSlot, heardAt: Double, wall: Double?, interval: Double?) {
        let i = Int(slot)
        devices[i].lastSeenMonotonic = heardAt
        if let wall, wall > (devices[i].lastSeen ?? -Double.infinity) { devices[i].lastSeen = wall }
        if let interval, interval != devices[i].intervalOverride {
            devices[i].intervalOverride = interval
            setTimeout(slot, kind(of: slot).offlineTimeout(deviceInterval: interval))
        }
    }

    /// An `offline` status: believed once `statusConfirmDelay` has passed with our own connection
    /// still up (see `takeConfirmedOfflineStatuses`).
    /// A sleeping device's status says nothing new: it is silent already, and its wake deadline
    /// (if its site is open) decides, also for the retained `offline` a restart receives.
    ///
    /// After the watcher began to see again (`unprovenBefore`: a start, a reconnect, the end of
    /// a stall), an `offline` for a device that was alive lately (heard within its timeout plus
    /// `graceSeconds`: the grace would still cover its silence) and not heard since waits until
    /// the grace ends (`graceEnd`) for a heartbeat to prove it stale: retained statuses arrive
    /// then, and a broker that hiccups publishes the wills of devices that are reconnecting,
    /// which may take them a while (their own backoff), and may keep a will as the retained
    /// status of a device that reconnected. Any other offline status (a device never heard,
    /// silent for long, or heard since) is believed after `statusConfirmDelay`, grace or not.
    mutating func reportedOffline(
        _ slot: DeviceSlot, unprovenBefore: Double = -.infinity, graceEnd: Double = -.infinity,
        graceSeconds: Double = 0, at now: Moment
    ) {
        let state = devices[Int(slot)].state
        guard state != .offline && state != .sleeping else { return }
        offlineStatuses[slot] = max(
            now.monotonic + Self.statusConfirmDelay,
            staleUntil(
                slot, unprovenBefore: unprovenBefore, graceEnd: graceEnd,
                graceSeconds: graceSeconds, at: now))
    }

    /// Until when an offline status of `slot` may be stale (see `reportedOffline`).
    private func staleUntil(
        _ slot: DeviceSlot, unprovenBefore: Double, graceEnd: Double, graceSeconds: Double,
        at now: Moment
    ) -> Double {
        let d = devices[Int(slot)]
        guard d.state == .online || d.state == .degraded,
            (d.lastSeenMonotonic ?? -.infinity) < unprovenBefore,
            let seen = d.lastSeen, now.wall - seen <= d.timeout + graceSeconds
        else { return -.infinity }
        return graceEnd
    }

    /// The watcher sees again: offline statuses that came while it could not tell (during a
    /// stall of the broker's delivery, say, when the broker resumes with its clients' wills)
    /// wait as if they had come now.
    mutating func reconsiderOfflineStatuses(
        unprovenBefore: Double, graceEnd: Double, graceSeconds: Double,
        at now: Moment
    ) {
        guard !offlineStatuses.isEmpty else { return }
        for (slot, confirmAt) in offlineStatuses {
            offlineStatuses[slot] = max(
                confirmAt,
                staleUntil(
                    slot, unprovenBefore: unprovenBefore, graceEnd: graceEnd,
                    graceSeconds: graceSeconds, at: now))
        }
    }

    /// Our own connection dropped: statuses not yet confirmed may be the broker's shutdown wills.
    mutating func forgetUnconfirmedStatuses() { offlineStatuses.removeAll() }

    mutating func forgetStatus(_ slot: DeviceSlot) { offlineStatuses[slot] = nil }

    /// Offline statuses whose confirmation delay has passed by `horizon` (see `expireDeadlines`).
    mutating func takeConfirmedOfflineStatuses(at now: Moment, horizon: Double = .infinity) -> [DeviceSlot] {
        guard !offlineStatuses.isEmpty else { return [] }
        var due: [(slot: DeviceSlot, at: Double)] = []
        for (slot, at) in offlineStatuses where at <= min(now.monotonic, horizon) { due.append((slot, at)) }
        for entry in due { offlineStatuses[entry.slot] = nil }
        // In the order they came (then by slot), not the dictionary's: incident ids must not
        // depend on hashing.
        return due.sorted { ($0.at, $0.slot) < ($1.at, $1.slot) }.map(\.slot)
    }

    // MARK: states and deadlines

    /// Moves a device to a new state; nil when it already was in it.
    mutating func setState(_ slot: DeviceSlot, _ state: DeviceState, at now: Moment) -> DeviceTransition? {
        let i = Int(slot)
        let from = devices[i].state
        guard from != state else { return nil }
        devices[i].state = state
        devices[i].stateSince = now.wall
        return DeviceTransition(slot: slot, from: from, record: record(slot))
    }

    /// A device whose offline deadline passed (now `offline`), and the summary of its incident.
    struct Expiry {
        var transition: DeviceTransition
        var summary: String
    }

    /// Pops every deadline due by `horizon` (now, or earlier: the last moment the broker is known
    /// to have delivered) and moves the overdue devices to `offline`, or to `sleeping` where
    /// `maySleep` says the device may be silent now (its site is closed). An early entry (the
    /// device was heard since it was pushed, or a grace period is still running) goes back with
    /// the device's current deadline. `graceSeconds` only words the summary of never-heard ones.
    mutating func expireDeadlines(
        at now: Moment, horizon: Double = .infinity, graceEnd: Double, graceSeconds: Double,
        maySleep: (DeviceRecord) -> Bool = { _ in false }
    ) -> [Expiry] {
        var expired: [Expiry] = []
        while let entry = deadlines.popDue(min(now.monotonic, horizon)) {
            let i = Int(entry.device)
            devices[i].armed = false
            let state = devices[i].state
            guard !devices[i].forgotten, state != .offline && state != .maintenance else { continue }
            let heardDeadline = devices[i].lastSeenMonotonic.map { $0 + devices[i].timeout } ?? -Double.infinity
            let due = max(heardDeadline, graceEnd, devices[i].offlineNotBefore)
            if due > now.monotonic {
                deadlines.push(due, entry.device)
                devices[i].armed = true
                continue
            }
            let summary: String
            if let seen = devices[i].lastSeenMonotonic {
                let expected = devices[i].timeout / Double(max(1, kind(of: entry.device).missed))
                summary =
                    "no heartbeat for \(DurationText.seconds(now.monotonic - seen)) "
                    + "(expected every \(DurationText.seconds(expected)))"
            } else {
                summary = "not heard since the daemon started (grace \(DurationText.seconds(graceSeconds)))"
            }
            // Set here, so a second heap entry of the same device (see setTimeout) is skipped.
            let silent: DeviceState = maySleep(record(entry.device)) ? .sleeping : .offline
            if let transition = setState(entry.device, silent, at: now) {
                expired.append(Expiry(transition: transition, summary: summary))
            }
        }
        return expired
    }

    /// A maintenance window ended: detection resumes with `graceUntil` before a timeout counts.
    mutating func leaveMaintenance(_ slot: DeviceSlot, graceUntil: Double, at now: Moment) -> DeviceTransition? {
        let i = Int(slot)
        let heard = devices[i].lastSeenMonotonic.map { now.monotonic - $0 < devices[i].timeout } ?? false
        devices[i].health = .ok
        devices[i].offlineNotBefore = graceUntil
        let transition = setState(slot, heard ? .online : .unknown, at: now)
        if !devices[i].armed {
            deadlines.push(graceUntil, slot)
            devices[i].armed = true
        }
        return transition
    }

    /// A sleeping device whose site opened: no offline before `until` (monotonic), and a heap
    /// entry for that moment (an extra entry is harmless, popped entries are re-checked).
    mutating func awaitWake(_ slot: DeviceSlot, until: Double) {
        let i = Int(slot)
        devices[i].offlineNotBefore = until
        deadlines.push(until, slot)
        devices[i].armed = true
    }

    /// Changes a device's offline timeout. A shorter one needs its own heap entry: the lazy heap
    /// only ever moves deadlines later (an extra entry is harmless, popped entries are re-checked).
    private mutating func setTimeout(_ slot: DeviceSlot, _ timeout: Double) {
        let i = Int(slot)
        let shorter = timeout < devices[i].timeout
        devices[i].timeout = timeout
        let state = devices[i].state
        guard shorter, let seen = devices[i].lastSeenMonotonic,
            state != .offline, state != .maintenance, state != .sleeping
        else { return }
        deadlines.push(seen + timeout, slot)
        devices[i].armed = true
    }

    // MARK: reading and flushing

    /// The earliest moment something may be due: a deadline in the heap (possibly early: see
    /// `expireDeadlines`) or an offline status's confirmation.
    var earliestDeadline: Double? {
        let status = offlineStatuses.isEmpty ? nil : offlineStatuses.values.min()
        switch (deadlines.first?.deadline, status) {
        case (let a?, let b?): return min(a, b)
        case (let a, let b): return a ?? b
        }
    }

    func stateCounts() -> [DeviceState: Int] {
        var counts: [DeviceState: Int] = [:]
        for d in devices where !d.forgotten { counts[d.state, default: 0] += 1 }
        return counts
    }

    var clockSkewedCount: Int { devices.reduce(0) { $0 + ($1.clockSkewed && !$1.forgotten ? 1 : 0) } }

    /// Starts a `last_seen` flush round: what is dirty now may be taken by
    /// `takeLastSeenUpdates(limit:)`; what turns dirty later waits for the next round.
    mutating func beginLastSeenRound() { lastSeenQueue.beginRound() }

    /// At most `limit` of the current round's dirty `last_seen` entries, oldest first, so a
    /// round's flush is spread over loop turns.
    mutating func takeLastSeenUpdates(limit: Int) -> [(String, Double)] {
        lastSeen(of: lastSeenQueue.takeRound(limit: limit))
    }

    /// Every dirty `last_seen` entry, round or not (a stop).
    mutating func takeLastSeenUpdates() -> [(String, Double)] { lastSeen(of: lastSeenQueue.takeAll()) }

    /// (id, last seen) of slots just taken from the queue, which are clean again.
    private mutating func lastSeen(of slots: [DeviceSlot]) -> [(String, Double)] {
        var out: [(String, Double)] = []
        out.reserveCapacity(slots.count)
        for slot in slots {
            devices[Int(slot)].lastSeenDirty = false
            let d = devices[Int(slot)]
            if let seen = d.lastSeen { out.append((labels.id(d.id), seen)) }
        }
        return out
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes, as `DeviceIndex` hashes an id from a topic.
    var utf8Hash: UInt32 {
        var copy = self
        return copy.withUTF8 { DeviceIndex.hash($0) }
    }

    /// Whether the UTF-8 bytes are `bytes`, without building a `String` from them.
    func utf8Equals(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        utf8.withContiguousStorageIfAvailable { Self.bytesEqual($0, bytes) } ?? utf8.elementsEqual(bytes)
    }

    /// Eight bytes at a time: the generic `elementsEqual` compared a byte per iteration and was 3% of
    /// the daemon's CPU at full ingest, once per message for the device lookup (round 2 profile).
    static func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        let x = UnsafeRawBufferPointer(a)
        let y = UnsafeRawBufferPointer(b)
        var i = 0
        while i + 8 <= x.count {
            guard
                x.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    == y.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            else { return false }
            i += 8
        }
        while i < x.count {
            guard x[i] == y[i] else { return false }
            i += 1
        }
        return true
    }
}
