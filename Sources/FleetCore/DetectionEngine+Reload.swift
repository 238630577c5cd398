extension DetectionEngine {
    /// Applies a new configuration without losing state: kinds, rules, forecasts, inventory,
    /// thresholds, history settings and the SLA calendar change; devices, their liveness, open
    /// incidents and the fits of forecasts that did not change stay.
    public mutating func reload(_ next: Configuration, at now: Moment) -> [EngineEffect] {
        configuration = next
        localTime = LocalTime(next.sla)
        registry.configure(kinds: next.kinds, maxDevices: next.detection.maxDevices)
        rules = MetricRuleEvaluator(kinds: next.kinds)
        forecaster.configure(kinds: next.kinds, refreshSeconds: next.storage.historyIntervalSeconds,
                             devices: registry.devices)
        let effects = applyInventory(at: now)
        rollup.configure(next, devices: registry.devices)
        rules.configure(kinds: next.kinds, devices: registry.devices)
        history.configure(next.storage, devices: registry.count)
        flaps.configure(next.detection)
        collector.configure(next.detection)
        incidents.configure(policy: IncidentPolicy(next), clocks: SLAClocks(next.sla, localTime: localTime))
        return effects
    }
}
