extension DetectionEngine {
    /// Adds a device to the in-memory registry; returns its index.
    mutating func insert(_ record: DeviceRecord) -> Int32 {
        let index = Int32(devices.count)
        let kind = configuration.kinds[record.kind] ?? KindSettings()
        var tracked = TrackedDevice(record: record, timeout: kind.offlineTimeout())
        tracked.rules = kind.rules
        // Everyone not offline needs a deadline: heard devices by timeout, others by the grace end.
        if record.state != .offline && record.state != .maintenance {
            deadlines.push(0, index)
            tracked.armed = true
        }
        devices.append(tracked)
        deviceIndex.insert(index, hash: record.id.utf8Hash)
        count(record, +1)
        return index
    }

    /// Inventory entries not yet known are added as `unknown`; known ones take the configured
    /// site, kind and name.
    mutating func applyInventory(at now: Moment) {
        for entry in configuration.devices {
            if let index = index(ofDevice: entry.id) {
                var record = devices[Int(index)].record
                let before = record
                record.site = entry.site
                record.kind = entry.kind
                record.name = entry.name
                record.inventory = true
                if record != before {
                    count(before, -1)
                    devices[Int(index)].record = record
                    devices[Int(index)].rules = configuration.kinds[record.kind]?.rules ?? []
                    devices[Int(index)].ruleStates = []
                    count(record, +1)
                    effects.append(.saveDevice(record))
                }
            } else {
                let record = DeviceRecord(id: entry.id, site: entry.site, kind: entry.kind, name: entry.name,
                                          inventory: true, state: .unknown, stateSince: now.wall)
                _ = insert(record)
                effects.append(.saveDevice(record))
            }
        }
    }

    /// The index of the registered device with this id.
    func index(ofDevice id: UnsafeBufferPointer<UInt8>) -> Int32? {
        deviceIndex.find(hash: DeviceIndex.hash(id)) { devices[Int($0)].record.id.utf8Equals(id) }
    }

    func index(ofDevice id: String) -> Int32? {
        var id = id
        return id.withUTF8 { index(ofDevice: $0) }
    }

    /// Finds the device a message is about, registering an unknown one, or says why not. The
    /// per-message path: a registered device at its registered site and kind is found from the
    /// topic's bytes, without building a `String` (Benchmarks: ingest).
    package mutating func resolveDevice(_ topic: RawDeviceTopic, at now: Moment) -> Result<Int32, Rejection> {
        if let index = index(ofDevice: topic.device),
           devices[Int(index)].record.site.utf8Equals(topic.site),
           devices[Int(index)].record.kind.utf8Equals(topic.kind) {
            return .success(index)
        }
        return resolveDevice(topic.strings, at: now)
    }

    /// `resolveDevice` for a topic in strings: registers a new device, or explains a mismatch.
    mutating func resolveDevice(_ topic: DeviceTopic, at now: Moment) -> Result<Int32, Rejection> {
        if let index = index(ofDevice: topic.device) {
            let record = devices[Int(index)].record
            guard record.site == topic.site, record.kind == topic.kind else {
                return .failure(Rejection(.inventoryMismatch,
                                          "device \(topic.device) is registered at \(record.site)/\(record.kind)"))
            }
            return .success(index)
        }
        guard configuration.kinds[topic.kind] != nil else {
            return .failure(Rejection(.unknownKind, "kind \(topic.kind) is not configured"))
        }
        guard devices.count < configuration.detection.maxDevices else {
            return .failure(Rejection(.deviceLimit, "max_devices (\(configuration.detection.maxDevices)) reached"))
        }
        let record = DeviceRecord(id: topic.device, site: topic.site, kind: topic.kind, inventory: false,
                                  state: .unknown, stateSince: now.wall)
        let index = insert(record)
        effects.append(.saveDevice(record))
        return .success(index)
    }

    /// Moves a device to a new state, persisting the change, counting it toward flapping and
    /// re-evaluating the site, core and fleet outage rules it takes part in.
    mutating func setState(_ index: Int32, _ state: DeviceState, at now: Moment) {
        let i = Int(index)
        let before = devices[i].record
        guard before.state != state else { return }
        count(before, -1)
        devices[i].record.state = state
        devices[i].record.stateSince = now.wall
        count(devices[i].record, +1)
        effects.append(.saveDevice(devices[i].record))
        if before.state != .unknown && before.state != .maintenance && state != .maintenance {
            recordStateChange(index, at: now)
        }
        if (before.state == .offline) != (state == .offline) {
            evaluateOutages(site: before.site, kind: before.kind, at: now)
        }
    }

    /// Keeps the per-site, per-core-kind and fleet offline counts; maintenance is not counted.
    mutating func count(_ record: DeviceRecord, _ delta: Int) {
        guard record.state != .maintenance else { return }
        let offline = record.state == .offline ? delta : 0
        siteCounts[record.site, default: OfflineCount()].total += delta
        siteCounts[record.site, default: OfflineCount()].offline += offline
        if configuration.kinds[record.kind]?.core == true {
            let key = record.site + "/" + record.kind
            coreCounts[key, default: OfflineCount()].total += delta
            coreCounts[key, default: OfflineCount()].offline += offline
        }
        fleetCount.total += delta
        fleetCount.offline += offline
    }

    /// After a reload (kinds may have become core or not): counts from scratch.
    mutating func recount() {
        siteCounts = [:]
        coreCounts = [:]
        fleetCount = OfflineCount()
        for d in devices { count(d.record, +1) }
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
        utf8.withContiguousStorageIfAvailable { $0.count == bytes.count && $0.elementsEqual(bytes) }
            ?? utf8.elementsEqual(bytes)
    }
}
