extension DetectionEngine {
    public var deviceCount: Int { devices.count }
    public var unresolvedIncidents: [Incident] { Array(unresolved.values) }

    public func device(_ id: String) -> DeviceRecord? { index(ofDevice: id).map { devices[Int($0)].record } }

    public func stateCounts() -> [DeviceState: Int] {
        var counts: [DeviceState: Int] = [:]
        for d in devices { counts[d.record.state, default: 0] += 1 }
        return counts
    }

    public func openIncidentCounts() -> [Priority: Int] {
        var counts: [Priority: Int] = [:]
        for i in unresolved.values { counts[i.priority, default: 0] += 1 }
        return counts
    }

    /// Devices whose `ts` was off by more than `max_clock_skew_s`: a data-quality problem.
    public var clockSkewedDevices: Int { devices.reduce(0) { $0 + ($1.record.clockSkewed ? 1 : 0) } }

    /// (id, last seen) of devices heard since the previous call, for a batched flush.
    public mutating func takeLastSeenUpdates() -> [(String, Double)] {
        defer { dirtyLastSeen.removeAll(keepingCapacity: true) }
        return dirtyLastSeen.compactMap { index in
            devices[Int(index)].lastSeenDirty = false
            let record = devices[Int(index)].record
            return record.lastSeen.map { (record.id, $0) }
        }
    }

    /// At most `limit` of the oldest dirty entries (FIFO), so a flush is spread over loop turns.
    public mutating func takeLastSeenUpdates(limit: Int) -> [(String, Double)] {
        let k = min(limit, dirtyLastSeen.count)
        var out: [(String, Double)] = []
        out.reserveCapacity(k)
        for index in dirtyLastSeen.prefix(k) {
            devices[Int(index)].lastSeenDirty = false
            let record = devices[Int(index)].record
            if let seen = record.lastSeen { out.append((record.id, seen)) }
        }
        dirtyLastSeen.removeFirst(k)
        return out
    }
}
