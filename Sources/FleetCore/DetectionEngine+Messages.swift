/// What devices say: heartbeats and status messages, routed registry → health → metric rules.
extension DetectionEngine {
    /// A heartbeat was received from the device a topic names (registered if new).
    public mutating func heartbeatReceived(
        _ beat: Heartbeat, on topic: DeviceTopic,
        at now: Moment
    ) -> Result<[EngineEffect], Rejection> {
        resolveDevice(topic, at: now).map { heartbeatReceived(beat, device: $0, at: now) }
    }

    /// A heartbeat from a device `resolveDevice` returned (`slot` must come from it). The hot
    /// path: no allocation unless something changes.
    package mutating func heartbeatReceived(
        _ beat: Heartbeat, device slot: DeviceSlot, at now: Moment
    ) -> [EngineEffect] {
        var effects = saveNewlyRegistered()
        if registry.heard(slot, beat, maxClockSkew: configuration.detection.maxClockSkewSeconds, at: now) {
            effects.append(.saveDevice(registry.record(slot)))
        }
        let observed = quality.observe(slot, beat, at: now)
        effects += applyHealth(beat.health ?? .ok, device: slot, errorsChanged: observed.errors != nil, at: now)
        if let change = observed.errors {
            effects += route(quality.errors.findings(change, registry.record(slot)), at: now)
        }
        if !observed.link.isEmpty { effects += route(linkFindings(observed.link, device: slot, at: now), at: now) }
        // The record (with a new id `String`) is an autoclosure below: put together only when a
        // rule, a forecast or a sample needs it, not for every heartbeat.
        let findings = rules.evaluate(slot, beat, registry.record(slot), at: now.monotonic)
        if !findings.isEmpty { effects += route(findings, at: now) }
        let forecasts = forecaster.observe(slot, beat, registry.record(slot), at: now, format: localTime.format)
        if !forecasts.findings.isEmpty { effects += route(forecasts.findings, at: now) }
        for status in forecasts.statuses { effects.append(.saveForecast(status)) }
        history.heard(
            slot, beat, device: registry.id(slot), heartbeatInterval: { registry.heartbeatInterval(slot) }, at: now)
        return effects
    }

    /// `data-loss` and `reboot-loop` as `LinkQuality` decided them for this heartbeat.
    mutating func linkFindings(_ changes: LinkQuality.Changes, device slot: DeviceSlot, at now: Moment) -> [Finding] {
        let record = registry.record(slot)
        let stats = quality.links.stats(slot, at: now.monotonic)
        let window = DurationText.seconds(quality.links.windowSeconds)
        var findings: [Finding] = []
        if let holds = changes.dataLoss {
            findings.append(
                holds
                    ? .holds(.device(.dataLoss, .p2, record, summary: Self.lossSummary(stats, window: window)))
                    : .cleared(IncidentKey(rule: .dataLoss, scope: .device, device: record.id)))
        }
        if let holds = changes.rebootLoop {
            findings.append(
                holds
                    ? .holds(.device(.rebootLoop, .p2, record, summary: "\(stats.reboots) reboots within \(window)"))
                    : .cleared(IncidentKey(rule: .rebootLoop, scope: .device, device: record.id)))
        }
        return findings
    }

    static func lossSummary(_ stats: LinkStats, window: String) -> String {
        let lost = Int(stats.lost.rounded())
        let expected = Int(stats.expected.rounded())
        return "\(lost) of \(expected) expected heartbeats lost (\(Int((stats.lossRatio * 100).rounded()))%) "
            + "within about \(window)"
    }

    /// A `$SYS/broker/` message (`name` is the part after that prefix): kept for `status`, and
    /// the dropped-messages counter drives `broker-dropping`.
    package mutating func brokerStatReceived(
        _ name: UnsafeBufferPointer<UInt8>, _ payload: UnsafeRawBufferPointer,
        at now: Moment
    ) -> [EngineEffect] {
        guard let finding = quality.broker.received(name, payload, at: now) else { return [] }
        return route([finding], at: now)
    }

    /// A `status` message: `offline` is believed (after `statusConfirmDelay`), grace or not: it is
    /// the broker speaking for a device whose connection died; `online` alone proves nothing
    /// until a heartbeat. A device never heard is not registered by it (`unknown_device`).
    public mutating func statusReceived(
        online: Bool, on topic: DeviceTopic,
        at now: Moment
    ) -> Result<[EngineEffect], Rejection> {
        resolve { $0.resolve(topic, registering: false, at: now) }
            .map { statusReceived(online: online, device: $0, at: now) }
    }

    /// A `status` message from a device `resolveDevice` returned (`slot` must come from it).
    package mutating func statusReceived(online: Bool, device slot: DeviceSlot, at now: Moment) -> [EngineEffect] {
        if !online {
            registry.reportedOffline(
                slot, unprovenBefore: collector.seeingSince, graceEnd: collector.graceEnd,
                graceSeconds: collector.graceSecondsSetting, at: now)
        }
        return saveNewlyRegistered()
    }

    /// Finds the device a message is about, registering an unknown one (for a heartbeat, not
    /// for a status: `registering`), or says why not.
    package mutating func resolveDevice(
        _ topic: RawDeviceTopic, registering: Bool = true,
        at now: Moment
    ) -> Result<DeviceSlot, Rejection> {
        resolve { $0.resolve(topic, registering: registering, at: now) }
    }

    mutating func resolveDevice(_ topic: DeviceTopic, at now: Moment) -> Result<DeviceSlot, Rejection> {
        resolve { $0.resolve(topic, at: now) }
    }

    /// The device's own verdict: `degraded` and `fault` are P2 incidents and the `degraded` state,
    /// carrying the device's active error codes. Only changes do work, so a steady device costs no
    /// lookups here.
    mutating func applyHealth(
        _ health: Heartbeat.Health, device slot: DeviceSlot, errorsChanged: Bool = false,
        at now: Moment
    ) -> [EngineEffect] {
        let state = registry[slot].state
        guard state != .maintenance else { return [] }
        let previousHealth = registry[slot].health
        let wasDown = state == .offline || state == .unknown || state == .sleeping
        guard wasDown || previousHealth != health else {
            guard errorsChanged, let rule = RuleID.health(health) else { return [] }
            return incidents.updateErrors(
                IncidentKey(rule: rule, scope: .device, device: registry.id(slot)),
                quality.errors.codes(slot), at: now)
        }
        let record = registry.record(slot)
        registry.setHealth(slot, health)
        if wasDown { incidents.clear(IncidentKey(rule: .offline, scope: .device, device: record.id), at: now) }
        if previousHealth != health, let previous = RuleID.health(previousHealth) {
            incidents.clear(IncidentKey(rule: previous, scope: .device, device: record.id), at: now)
        }
        guard let rule = RuleID.health(health) else { return setState(slot, .online, at: now) }
        var problem = Problem.device(rule, .p2, record, summary: "device reports health \(health.rawValue)")
        problem.errors = quality.errors.codes(slot)
        return setState(slot, .degraded, at: now) + raise(problem, at: now)
    }
}
