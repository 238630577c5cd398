/// Forgetting devices that were auto-registered and then never heard again.
extension DetectionEngine {
    /// Slots looked at per second: 100,000 devices are gone through every 10 s.
    static let forgetSlice = 10_000

    /// Once a second: auto-registered devices silent for `forget_after_s` are forgotten, so a
    /// flood of made-up ids cannot keep `max_devices` full (inventory devices never are).
    mutating func forgetSilentDevices(at now: Moment) -> [EngineEffect] {
        let after = configuration.detection.forgetAfterSeconds
        var effects: [EngineEffect] = []
        for slot in registry.silentDevices(before: now.wall - after, slice: Self.forgetSlice) {
            effects += forget(slot, after: after, at: now)
        }
        return effects
    }

    /// Removes a device from every part: its open incidents resolve, the outages it counted in
    /// are evaluated again, its row is deleted.
    mutating func forget(_ slot: DeviceSlot, after seconds: Double, at now: Moment) -> [EngineEffect] {
        let record = registry.record(slot)
        let why = "device forgotten: no heartbeat for \(DurationText.seconds(seconds)) (detection.forget_after_s)"
        var effects = incidents.resolveAll(device: record.id, by: "auto", message: why, at: now)
        rollup.remove(record)
        rules.reset(slot, kind: "")
        forecaster.reset(slot, kind: "")
        history.forget(slot)
        quality.forget(slot)
        flaps.forget(slot)
        hours.stopWaking(slot)
        registry.forget(slot)
        effects.append(.forgetDevice(record.id))
        if record.state == .offline { effects += route(rollup.evaluate(site: record.site, kind: record.kind), at: now) }
        return effects
    }

    /// Devices forgotten since the engine started (status and metrics).
    public var forgottenDevices: Int { registry.forgottenCount }
}
