extension DetectionEngine {
    /// Applies a new configuration without losing state: kinds, rules, inventory, thresholds and
    /// the SLA calendar change; devices, their liveness and open incidents stay.
    public mutating func reload(_ next: Configuration, at now: Moment) -> [EngineEffect] {
        configuration = next
        localTime = LocalTime(next.sla)
        registry.configure(kinds: next.kinds, maxDevices: next.detection.maxDevices)
        rules = MetricRuleEvaluator(kinds: next.kinds)
        let effects = applyInventory(at: now)
        rollup.configure(next, devices: registry.knownDevices)
        rules.configure(kinds: next.kinds, devices: registry.devices)
        flaps.configure(next.detection)
        collector.configure(next.detection)
        incidents.configure(policy: IncidentPolicy(next), clocks: SLAClocks(next.sla, localTime: localTime))
        return effects
    }
}
