extension DetectionEngine {
    /// Effects produced while starting up (inventory registration).
    public mutating func takeStartupEffects() -> [EngineEffect] { takeEffects() }

    /// Applies a new configuration without losing state: kinds, rules, inventory and the SLA
    /// calendar change; devices, their liveness and open incidents stay.
    public mutating func reload(_ next: Configuration, at now: Moment) -> [EngineEffect] {
        configuration = next
        localTime = LocalTime(next.sla)
        for i in devices.indices {
            let kind = next.kinds[devices[i].record.kind] ?? KindSettings()
            setTimeout(Int32(i), kind.offlineTimeout(deviceInterval: devices[i].intervalOverride), at: now)
        }
        applyInventory(at: now)
        recount()
        for i in devices.indices {  // rules may have changed
            devices[i].rules = next.kinds[devices[i].record.kind]?.rules ?? []
            devices[i].ruleStates = []
        }
        return takeEffects()
    }
}
