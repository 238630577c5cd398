/// The device → daemon link of every device (SPEC §11): what `seq`, `uptime_s` and `ts` say about
/// lost, duplicated and late heartbeats, reboots and latency, over about `quality_window_s`, and
/// the rules on them, `data-loss` and `reboot-loop`. One `LinkRecord` (32 bytes) per device and
/// the times of recent reboots for the few that rebooted. It returns which rule changed; the
/// engine turns that into incidents.
///
/// Both rules decide only with evidence: at least `min_expected` heartbeats expected in the
/// window. So a device heard for the first time, or every device after a restart of the daemon
/// (the window is not persisted), neither opens `data-loss` nor resolves a restored incident until
/// the window holds enough. `reboot-loop` opens as soon as the reboots reach the limit.
struct LinkQuality {
    /// What one heartbeat changed about the rules: nil where nothing changed.
    struct Changes: Equatable {
        var dataLoss: Bool?
        var rebootLoop: Bool?
        var isEmpty: Bool { dataLoss == nil && rebootLoop == nil }
    }

    private var records: [LinkRecord] = []
    private var reboots = RebootLog()
    /// Monotonic time the decay clock counts from.
    private let origin: Double
    private var window: Double
    /// A 256th of the half-life: the step in which counters decay.
    private var tickSeconds: Double
    private var maxLossRatio: Double
    private var minExpected: Double
    private var rebootLimit: Int
    private(set) var totals = LinkTotals()
    /// Devices whose `data-loss` condition holds now.
    private(set) var dataLossCount = 0
    /// Where `sweep` continues.
    private var sweepCursor = 0
    static let sweepSlice = 2000

    init(_ detection: DetectionSettings, origin: Double) {
        self.origin = origin
        window = detection.qualityWindowSeconds
        tickSeconds = Self.tickSeconds(window: window)
        maxLossRatio = detection.maxLossRatio
        minExpected = Double(detection.minExpected)
        rebootLimit = detection.rebootLimit
    }

    static func tickSeconds(window: Double) -> Double { window * 0.693_147_180_559_945_3 / 256 }

    var windowSeconds: Double { window }

    /// A reload: new thresholds apply from the next heartbeat. A new window restarts every decay
    /// clock (the ticks change length), keeping the counts.
    mutating func configure(_ detection: DetectionSettings, at now: Double) {
        maxLossRatio = detection.maxLossRatio
        minExpected = Double(detection.minExpected)
        rebootLimit = detection.rebootLimit
        guard detection.qualityWindowSeconds != window else { return }
        window = detection.qualityWindowSeconds
        tickSeconds = Self.tickSeconds(window: window)
        let tick = self.tick(at: now)
        for i in records.indices where records[i].flags.contains(.started) {
            var record = records[i]
            record.set(.started, false)
            record.decay(to: tick)
            records[i] = record
        }
    }

    /// A device was registered.
    mutating func added(_ slot: DeviceSlot) {
        let i = Int(slot)
        if records.count <= i { records.append(contentsOf: repeatElement(LinkRecord(), count: i + 1 - records.count)) }
    }

    /// The broker delivers again after the daemon saw nothing for a while (it was down, or did not
    /// deliver): the heartbeats sent meanwhile are gone for every device alike, and the
    /// collector's `broker-unreachable` says so. Each device's next `seq` starts its count again
    /// instead of counting that gap as its own loss, or every broker restart would open a
    /// `data-loss` incident per device: the storm SPEC §5 rules out.
    mutating func resumeAfterBlindness() {
        for i in records.indices { records[i].forgetSeq() }
    }

    /// A forgotten device: its slot may soon be another device's, which starts from nothing.
    mutating func forget(_ slot: DeviceSlot) {
        guard Int(slot) < records.count else { return }
        records[Int(slot)] = LinkRecord()
        reboots.forget(slot)
    }

    func tick(at now: Double) -> UInt16 {
        UInt16(truncatingIfNeeded: Int64(max(0, (now - origin) / tickSeconds)))
    }

    // MARK: the hot path

    /// A heartbeat: counted, and the rules looked at. No allocation.
    mutating func observe(_ slot: DeviceSlot, _ beat: Heartbeat, at now: Moment) -> Changes {
        let i = Int(slot)
        var record = records[i]
        record.decay(to: tick(at: now.monotonic))
        let step = record.classify(seq: beat.seq, uptime: beat.uptimeSeconds)
        let latency = beat.timestamp.map { (now.wall - $0) * 1000 }
        record.count(step, seq: beat.seq, uptime: beat.uptimeSeconds, latency: latency)
        var rebootCount: Int?
        switch step {
        case .advance(let gap): totals.lost += gap
        case .duplicate: totals.duplicates += 1
        case .reboot:
            totals.reboots += 1
            rebootCount = reboots.record(slot, at: now.monotonic, window: window)
        default: break
        }
        var changes = Changes()
        let expected = Double(record.received + record.lost)
        let evidence = expected >= minExpected
        if evidence {
            let holds = Double(record.lost) / expected >= maxLossRatio
            if holds != record.flags.contains(.dataLoss) {
                record.set(.dataLoss, holds)
                dataLossCount += holds ? 1 : -1
                changes.dataLoss = holds
            }
        }
        let firing = record.flags.contains(.rebootLoop)
        if rebootCount != nil || firing {
            let count = rebootCount ?? reboots.count(slot, at: now.monotonic, window: window)
            if count >= rebootLimit && !firing {
                record.set(.rebootLoop, true)
                changes.rebootLoop = true
            } else if count < rebootLimit && firing && evidence {
                record.set(.rebootLoop, false)
                changes.rebootLoop = false
            }
        }
        records[i] = record
        return changes
    }

    // MARK: reading

    /// The device's quality now (counters decayed to `now`).
    func stats(_ slot: DeviceSlot, at now: Double) -> LinkStats {
        var record = records[Int(slot)]
        record.decay(to: tick(at: now))
        let latency = record.latency
        return LinkStats(
            received: Double(record.received), lost: Double(record.lost), duplicates: Double(record.duplicates),
            outOfOrder: Double(record.outOfOrder), reboots: reboots.count(slot, at: now, window: window),
            latencyP50: latency.isEmpty ? nil : Double(latency.p50),
            latencyP95: latency.isEmpty ? nil : Double(latency.p95))
    }

    /// The last `uptime_s` heard (the highest of the current boot).
    func uptime(_ slot: DeviceSlot) -> Double? {
        let u = records[Int(slot)].uptime
        return u >= 0 ? Double(u) : nil
    }

    func isHolding(_ slot: DeviceSlot, _ rule: RuleID) -> Bool {
        let flags = records[Int(slot)].flags
        switch rule {
        case .dataLoss: return flags.contains(.dataLoss)
        case .rebootLoop: return flags.contains(.rebootLoop)
        default: return false
        }
    }

    /// After a restart: an open `data-loss` or `reboot-loop` incident holds until the window says
    /// otherwise (see the type's note on evidence).
    mutating func restoreHolding(_ slot: DeviceSlot, _ rule: RuleID) {
        let i = Int(slot)
        switch rule {
        case .dataLoss where !records[i].flags.contains(.dataLoss):
            records[i].set(.dataLoss, true)
            dataLossCount += 1
        case .rebootLoop:
            records[i].set(.rebootLoop, true)
        default:
            break
        }
    }

    // MARK: housekeeping

    /// Once a second, a slice at a time: records silent for 16 half-lives (empty by then) restart
    /// their decay clock, so the 16-bit clock never wraps under a silent device (a wrap takes 256
    /// half-lives; a sweep of 100,000 devices takes 50 s); old reboots are forgotten.
    mutating func sweep(at now: Double) {
        reboots.forgetOld(at: now, window: window)
        guard !records.isEmpty else { return }
        let tick = self.tick(at: now)
        for _ in 0..<min(Self.sweepSlice, records.count) {
            if sweepCursor >= records.count { sweepCursor = 0 }
            if records[sweepCursor].flags.contains(.started), Int(tick &- records[sweepCursor].tick) >= 16 * 256 {
                records[sweepCursor].decay(to: tick)
            }
            sweepCursor += 1
        }
    }
}
