extension DetectionEngine {
    /// A heartbeat was received from the device a topic names (registered if new).
    public mutating func heartbeatReceived(_ beat: Heartbeat, on topic: DeviceTopic,
                                           at now: Moment) -> Result<[EngineEffect], Rejection> {
        resolveDevice(topic, at: now).map { heartbeatReceived(beat, device: $0, at: now) }
    }

    /// A heartbeat from a device `resolveDevice` returned (`index` must come from it). The hot
    /// path: no allocation unless something changes.
    package mutating func heartbeatReceived(_ beat: Heartbeat, device index: Int32, at now: Moment) -> [EngineEffect] {
        let i = Int(index)
        if !offlineStatuses.isEmpty { offlineStatuses[index] = nil }  // alive after all
        devices[i].lastSeenMonotonic = now.monotonic
        devices[i].record.lastSeen = now.wall
        if !devices[i].lastSeenDirty {
            devices[i].lastSeenDirty = true
            dirtyLastSeen.append(index)
        }
        if let interval = beat.intervalSeconds, interval != devices[i].intervalOverride {
            devices[i].intervalOverride = interval
            let kind = configuration.kinds[devices[i].record.kind] ?? KindSettings()
            setTimeout(index, kind.offlineTimeout(deviceInterval: interval), at: now)
        }
        if let firmware = beat.firmware, firmware != devices[i].record.firmware {
            devices[i].record.firmware = firmware
        }
        if let ts = beat.timestamp {
            let skewed = abs(ts - now.wall) > configuration.detection.maxClockSkewSeconds
            if skewed != devices[i].record.clockSkewed {
                devices[i].record.clockSkewed = skewed
                effects.append(.saveDevice(devices[i].record))
            }
        }
        if !devices[i].armed && devices[i].record.state != .maintenance {
            deadlines.push(now.monotonic + devices[i].timeout, index)
            devices[i].armed = true
        }
        applyHealth(beat.health ?? .ok, device: index, at: now)
        evaluateRules(index, beat, at: now)
        return takeEffects()
    }

    /// A `status` message: `offline` is believed at once, grace or not (it is the broker speaking
    /// for a device whose connection died); `online` alone proves nothing until a heartbeat.
    public mutating func statusReceived(online: Bool, on topic: DeviceTopic,
                                        at now: Moment) -> Result<[EngineEffect], Rejection> {
        resolveDevice(topic, at: now).map { statusReceived(online: online, device: $0, at: now) }
    }

    /// A `status` message from a device `resolveDevice` returned (`index` must come from it).
    package mutating func statusReceived(online: Bool, device index: Int32, at now: Moment) -> [EngineEffect] {
        if !online && devices[Int(index)].record.state != .offline {
            offlineStatuses[index] = now.monotonic + Self.statusConfirmDelay
        }
        return takeEffects()
    }

    /// The device's own verdict: `degraded` and `fault` are P2 incidents and the `degraded` state.
    /// Only changes do work, so a steady device costs no lookups here.
    mutating func applyHealth(_ health: Heartbeat.Health, device index: Int32, at now: Moment) {
        let i = Int(index)
        let record = devices[i].record
        guard record.state != .maintenance else { return }
        let previousHealth = devices[i].health
        let wasDown = record.state == .offline || record.state == .unknown
        guard wasDown || previousHealth != health else { return }
        devices[i].health = health
        if wasDown { clear(IncidentKey(rule: "offline", scope: .device, device: record.id), at: now) }
        if previousHealth != health && previousHealth != .ok {
            clear(IncidentKey(rule: previousHealth.rawValue, scope: .device, device: record.id), at: now)
        }
        switch health {
        case .ok:
            setState(index, .online, at: now)
        case .degraded, .fault:
            setState(index, .degraded, at: now)
            raise(rule: health.rawValue, priority: .p2, scope: .device, site: record.site, kind: record.kind,
                  device: record.id, summary: "device reports health \(health.rawValue)", at: now)
        }
    }

    /// Offline statuses whose confirmation delay has passed with the broker still connected.
    mutating func applyConfirmedOfflineStatuses(at now: Moment) {
        guard !offlineStatuses.isEmpty else { return }
        for (index, due) in offlineStatuses where due <= now.monotonic {
            offlineStatuses[index] = nil
            declareOffline(index, summary: "device reported offline (status message or last will)", at: now)
        }
    }
}
