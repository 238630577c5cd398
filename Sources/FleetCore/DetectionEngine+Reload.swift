extension DetectionEngine {
    /// Applies a new configuration without losing state: kinds, rules, forecasts, inventory,
    /// thresholds, history settings, the SLA calendar and opening hours change; devices, their
    /// liveness, open incidents and the fits of forecasts that did not change stay.
    /// A site the new hours open (or a kind no longer `sleep`) gives its sleeping devices their
    /// wake grace from now; one they close lets its offline `sleep`-kind devices sleep.
    public mutating func reload(_ next: Configuration, at now: Moment) -> [EngineEffect] {
        configuration = next
        localTime = LocalTime(next.sla)
        registry.configure(kinds: next.kinds, maxDevices: next.detection.maxDevices)
        rules = MetricRuleEvaluator(kinds: next.kinds)
        forecaster.configure(
            kinds: next.kinds, refreshSeconds: next.storage.historyIntervalSeconds,
            kindOfSlot: registry.kindOfEachSlot)
        var effects = applyInventory(at: now)
        rollup.configure(next, devices: registry.knownRecords)
        rules.configure(kinds: next.kinds, kindOfSlot: registry.kindOfEachSlot)
        history.configure(next.storage, devices: registry.count)
        flaps.configure(next.detection)
        collector.configure(next.detection)
        quality.configure(next, at: now)
        incidents.configure(policy: IncidentPolicy(next), clocks: SLAClocks(next.sla, localTime: localTime))
        maintenance.configure(clock: localTime.clock)
        hours.configure(next, clock: localTime.clock, at: now.wall)
        effects += settleSleepers(at: nil, wakeFrom: [:], at: now)
        return effects + reevaluateErrorCodes(at: now)
    }

    /// The catalogs may have changed: every device's active codes are looked at again (a code that
    /// gained a priority opens its incident now, one that lost it clears).
    mutating func reevaluateErrorCodes(at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for slot in quality.errors.slotsWithCodes {
            let codes = quality.errors.codes(slot)
            let findings = quality.errors.findings(
                ActiveErrors.Change(before: codes, after: codes), registry.record(slot))
            effects += route(findings, at: now)
        }
        return effects
    }
}
