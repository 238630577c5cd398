extension DetectionEngine {
    /// Metric rules of the device's kind: a condition must hold on consecutive heartbeats for
    /// `for_s` before it opens; a heartbeat where it does not hold resets it (and clears an open
    /// incident). A heartbeat without the metric says nothing either way.
    mutating func evaluateRules(_ index: Int32, _ beat: Heartbeat, at now: Moment) {
        let i = Int(index)
        let rules = devices[i].rules
        guard !rules.isEmpty, !beat.metrics.isEmpty else { return }
        if devices[i].ruleStates.count != rules.count {
            devices[i].ruleStates = Array(repeating: .idle, count: rules.count)
        }
        for (r, rule) in rules.enumerated() {
            guard let value = beat.metric(named: rule.metric) else { continue }
            let holds = rule.condition.holds(for: value)
            switch (devices[i].ruleStates[r], holds) {
            case (.idle, true):
                devices[i].ruleStates[r] = .pending(since: now.monotonic)
                if rule.forSeconds <= 0 { fire(rule, r, device: index, value: value, at: now) }
            case (.pending(let since), true):
                if now.monotonic - since >= rule.forSeconds { fire(rule, r, device: index, value: value, at: now) }
            case (.pending, false):
                devices[i].ruleStates[r] = .idle
            case (.firing, false):
                devices[i].ruleStates[r] = .idle
                clear(IncidentKey(rule: rule.name, scope: .device, device: devices[i].record.id), at: now)
            case (.firing, true), (.idle, false):
                break
            }
        }
    }

    private mutating func fire(_ rule: MetricRule, _ r: Int, device index: Int32, value: MetricValue, at now: Moment) {
        let i = Int(index)
        devices[i].ruleStates[r] = .firing
        let record = devices[i].record
        raise(rule: rule.name, priority: rule.priority, scope: .device, site: record.site, kind: record.kind,
              device: record.id, summary: "\(rule.metric) \(value) \(rule.condition.text) for \(Self.seconds(rule.forSeconds))",
              at: now)
    }
}

extension MetricRule.Condition {
    public func holds(for value: MetricValue) -> Bool {
        switch (self, value) {
        case (.below(let limit), .number(let n)): n < limit
        case (.above(let limit), .number(let n)): n > limit
        case (.equals(let expected), _): expected == value
        default: false
        }
    }

    var text: String {
        switch self {
        case .below(let n): "below \(MetricValue.number(n))"
        case .above(let n): "above \(MetricValue.number(n))"
        case .equals(let v): "equals \(v)"
        }
    }
}
