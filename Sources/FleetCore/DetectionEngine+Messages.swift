/// What devices say: heartbeats and status messages, routed registry → health → metric rules.
extension DetectionEngine {
    /// A heartbeat was received from the device a topic names (registered if new).
    public mutating func heartbeatReceived(_ beat: Heartbeat, on topic: DeviceTopic,
                                           at now: Moment) -> Result<[EngineEffect], Rejection> {
        resolveDevice(topic, at: now).map { heartbeatReceived(beat, device: $0, at: now) }
    }

    /// A heartbeat from a device `resolveDevice` returned (`slot` must come from it). The hot
    /// path: no allocation unless something changes.
    package mutating func heartbeatReceived(_ beat: Heartbeat, device slot: DeviceSlot, at now: Moment) -> [EngineEffect] {
        var effects = saveNewlyRegistered()
        if registry.heard(slot, beat, maxClockSkew: configuration.detection.maxClockSkewSeconds, at: now) {
            effects.append(.saveDevice(registry.record(slot)))
        }
        effects += applyHealth(beat.health ?? .ok, device: slot, at: now)
        let record = registry.record(slot)
        let findings = rules.evaluate(slot, beat, record, at: now.monotonic)
        if !findings.isEmpty { effects += route(findings, at: now) }
        let forecasts = forecaster.observe(slot, beat, record, at: now, format: localTime.format)
        if !forecasts.findings.isEmpty { effects += route(forecasts.findings, at: now) }
        for status in forecasts.statuses { effects.append(.saveForecast(status)) }
        history.heard(slot, beat, device: record.id, heartbeatInterval: { registry.heartbeatInterval(slot) }, at: now)
        return effects
    }

    /// A `status` message: `offline` is believed (after `statusConfirmDelay`), grace or not: it is
    /// the broker speaking for a device whose connection died; `online` alone proves nothing
    /// until a heartbeat.
    public mutating func statusReceived(online: Bool, on topic: DeviceTopic,
                                        at now: Moment) -> Result<[EngineEffect], Rejection> {
        resolveDevice(topic, at: now).map { statusReceived(online: online, device: $0, at: now) }
    }

    /// A `status` message from a device `resolveDevice` returned (`slot` must come from it).
    package mutating func statusReceived(online: Bool, device slot: DeviceSlot, at now: Moment) -> [EngineEffect] {
        if !online { registry.reportedOffline(slot, at: now) }
        return saveNewlyRegistered()
    }

    /// Finds the device a message is about, registering an unknown one, or says why not.
    package mutating func resolveDevice(_ topic: RawDeviceTopic, at now: Moment) -> Result<DeviceSlot, Rejection> {
        resolve { $0.resolve(topic, at: now) }
    }

    mutating func resolveDevice(_ topic: DeviceTopic, at now: Moment) -> Result<DeviceSlot, Rejection> {
        resolve { $0.resolve(topic, at: now) }
    }

    /// The device's own verdict: `degraded` and `fault` are P2 incidents and the `degraded` state.
    /// Only changes do work, so a steady device costs no lookups here.
    mutating func applyHealth(_ health: Heartbeat.Health, device slot: DeviceSlot, at now: Moment) -> [EngineEffect] {
        let record = registry.record(slot)
        guard record.state != .maintenance else { return [] }
        let previousHealth = registry[slot].health
        let wasDown = record.state == .offline || record.state == .unknown || record.state == .sleeping
        guard wasDown || previousHealth != health else { return [] }
        registry.setHealth(slot, health)
        if wasDown { incidents.clear(IncidentKey(rule: .offline, scope: .device, device: record.id), at: now) }
        if previousHealth != health, let previous = RuleID.health(previousHealth) {
            incidents.clear(IncidentKey(rule: previous, scope: .device, device: record.id), at: now)
        }
        guard let rule = RuleID.health(health) else { return setState(slot, .online, at: now) }
        return setState(slot, .degraded, at: now)
            + raise(.device(rule, .p2, record, summary: "device reports health \(health.rawValue)"), at: now)
    }
}
