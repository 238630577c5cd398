/// Whether the condition behind an incident still holds now, asked of the part that knows.
extension DetectionEngine {
    /// The problem an operator's resolve did not make go away: the device is still down, the
    /// rule still fires, the outage still has its devices offline. Nil when the condition is clear.
    func problemStillHolding(_ incident: Incident, resolvedBy: String, at now: Moment) -> Problem? {
        let label = Incident.label(incident.id)
        switch incident.scope {
        case .device:
            guard let id = incident.device, let slot = registry.slot(of: id) else { return nil }
            let record = registry.record(slot)
            switch incident.condition {
            case .offline:
                // Sleeping is expected silence: resolved by hand at night, it does not reopen.
                guard record.state == .offline else { return nil }
                return .device(
                    .offline, .p2, record, summary: "still offline after \(label) was resolved by \(resolvedBy)")
            case .fault, .degraded:
                guard record.state == .degraded, RuleID.health(registry[slot].health) == incident.condition else {
                    return nil
                }
                var problem = Problem.device(
                    incident.condition, .p2, record,
                    summary:
                        "device still reports health \(registry[slot].health.rawValue) after \(label) was resolved by \(resolvedBy)"
                )
                problem.errors = quality.errors.codes(slot)
                return problem
            case .dataLoss, .rebootLoop:
                guard quality.links.isHolding(slot, incident.condition) else { return nil }
                let summary = "\(incident.condition) still holds after \(label) was resolved by \(resolvedBy)"
                return .device(incident.condition, .p2, record, summary: summary)
            case .error:
                guard let code = incident.code, quality.errors.codes(slot).contains(code),
                    let priority = quality.errors.entry(code, kind: record.kind)?.priority
                else { return nil }
                let summary = "\(code) still reported after \(label) was resolved by \(resolvedBy)"
                var problem = Problem.device(.error, priority, record, summary: summary)
                problem.code = code
                return problem
            default:
                if forecaster.isForecast(incident.condition, kind: record.kind) {
                    guard
                        var problem = forecaster.holdingProblem(
                            slot, named: incident.condition, record, at: now,
                            format: localTime.format)
                    else { return nil }
                    problem.summary += " (still predicted after \(label) was resolved by \(resolvedBy))"
                    return problem
                }
                guard let rule = rules.firingRule(slot, named: incident.condition) else { return nil }
                return .device(
                    incident.condition, rule.priority, record,
                    summary: "\(rule.metric) still \(rule.condition.text) after \(label) was resolved by \(resolvedBy)")
            }
        case .site, .kind, .fleet:
            for case .holds(let problem) in rollup.evaluate(site: incident.site ?? "", kind: incident.kind ?? "")
            where problem.rule == incident.condition {
                return problem
            }
            return nil
        case .collector:
            switch incident.condition {
            case .storageFailure:
                guard collector.storageFailing else { return nil }
                return Problem(
                    rule: .storageFailure, priority: .p1, scope: .collector,
                    summary: "storage still failing after \(label) was resolved by \(resolvedBy)")
            case .brokerDropping:
                return quality.broker.stillDropping(
                    "broker still dropping messages after \(label) was resolved by \(resolvedBy)")
            default:
                return nil  // broker-unreachable: the next tick opens a new one while it still holds
            }
        }
    }
}
