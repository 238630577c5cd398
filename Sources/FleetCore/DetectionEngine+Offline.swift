extension DetectionEngine {
    /// Pops every due deadline. An early entry (the device was heard since it was pushed, or the
    /// grace period is still running) goes back with the device's current deadline.
    mutating func expireDeadlines(at now: Moment) {
        while let entry = deadlines.popDue(now.monotonic) {
            let i = Int(entry.device)
            devices[i].armed = false
            let state = devices[i].record.state
            guard state != .offline && state != .maintenance else { continue }
            let heardDeadline = devices[i].lastSeenMonotonic.map { $0 + devices[i].timeout } ?? -Double.infinity
            let due = max(heardDeadline, graceEnd, devices[i].offlineNotBefore)
            if due > now.monotonic {
                deadlines.push(due, entry.device)
                devices[i].armed = true
                continue
            }
            let summary: String
            if let seen = devices[i].lastSeenMonotonic {
                let expected = devices[i].timeout / Double(max(1, kind(of: i).missed))
                summary = "no heartbeat for \(Self.seconds(now.monotonic - seen)) (expected every \(Self.seconds(expected)))"
            } else {
                summary = "not heard since the daemon started (grace \(Self.seconds(configuration.detection.startupGraceSeconds)))"
            }
            declareOffline(entry.device, summary: summary, at: now)
        }
    }

    mutating func declareOffline(_ index: Int32, summary: String, at now: Moment) {
        let record = devices[Int(index)].record
        guard record.state != .maintenance else { return }
        setState(index, .offline, at: now)
        raise(rule: "offline", priority: .p2, scope: .device, site: record.site, kind: record.kind,
              device: record.id, summary: summary, at: now)
    }

    func kind(of index: Int) -> KindSettings {
        configuration.kinds[devices[index].record.kind] ?? KindSettings()
    }

    /// `31.2s`, `10s`: how durations read in messages.
    static func seconds(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded))s" : "\(rounded)s"
    }

    /// Changes a device's offline timeout. A shorter one needs its own heap entry: the lazy heap
    /// only ever moves deadlines later (an extra entry is harmless, popped entries are re-checked).
    mutating func setTimeout(_ index: Int32, _ timeout: Double, at now: Moment) {
        let i = Int(index)
        let shorter = timeout < devices[i].timeout
        devices[i].timeout = timeout
        guard shorter, let seen = devices[i].lastSeenMonotonic,
              devices[i].record.state != .offline, devices[i].record.state != .maintenance else { return }
        deadlines.push(seen + timeout, index)
        devices[i].armed = true
    }
}
