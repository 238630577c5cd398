extension DetectionEngine {
    /// Applies a new configuration without losing state: kinds, rules, inventory, thresholds, the
    /// SLA calendar and opening hours change; devices, their liveness and open incidents stay.
    /// A site the new hours open (or a kind no longer `sleep`) gives its sleeping devices their
    /// wake grace from now; one they close lets its offline `sleep`-kind devices sleep.
    public mutating func reload(_ next: Configuration, at now: Moment) -> [EngineEffect] {
        configuration = next
        localTime = LocalTime(next.sla)
        registry.configure(kinds: next.kinds, maxDevices: next.detection.maxDevices)
        rules = MetricRuleEvaluator(kinds: next.kinds)
        var effects = applyInventory(at: now)
        rollup.configure(next, devices: registry.knownDevices)
        rules.configure(kinds: next.kinds, devices: registry.devices)
        flaps.configure(next.detection)
        collector.configure(next.detection)
        incidents.configure(policy: IncidentPolicy(next), clocks: SLAClocks(next.sla, localTime: localTime))
        maintenance.configure(clock: localTime.clock)
        hours.configure(next, clock: localTime.clock, at: now.wall)
        effects += settleSleepers(at: nil, wakeFrom: [:], at: now)
        return effects
    }
}
