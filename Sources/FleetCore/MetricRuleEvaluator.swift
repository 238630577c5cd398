/// The kinds' metric rules, per device: a condition must hold on consecutive heartbeats for
/// `for_s` before it fires; a heartbeat where it does not hold resets it (and clears a fired
/// one). A heartbeat without the metric says nothing either way. Rule states are kept only for
/// devices with a rule pending or fired, so a steady device costs no lookup here.
struct MetricRuleEvaluator {
    /// Where a metric rule stands for one device.
    enum RuleState: Equatable {
        case idle
        case pending(since: Double)
        case firing
    }

    private var rulesByKind: [String: [MetricRule]]
    /// The rules of each device's kind (shared storage), so a heartbeat needs no kind lookup.
    private var rulesBySlot: [[MetricRule]] = []
    /// One state per rule of the device's kind, for devices where some rule is not idle.
    private var states: [DeviceSlot: [RuleState]] = [:]

    init(kinds: [String: KindSettings]) {
        rulesByKind = kinds.mapValues(\.rules)
    }

    /// A device was registered.
    mutating func added(_ slot: DeviceSlot, kind: String) {
        let i = Int(slot)
        if rulesBySlot.count <= i {
            rulesBySlot.append(contentsOf: repeatElement([], count: i + 1 - rulesBySlot.count))
        }
        rulesBySlot[i] = rulesByKind[kind] ?? []
    }

    /// The device's kind changed (inventory) or it must start over (after maintenance).
    mutating func reset(_ slot: DeviceSlot, kind: String) {
        rulesBySlot[Int(slot)] = rulesByKind[kind] ?? []
        states[slot] = nil
    }

    /// A reload: rules may have changed, so every device starts over.
    /// `kindOfSlot`: each device's kind, by slot.
    mutating func configure(kinds: [String: KindSettings], kindOfSlot: [String]) {
        rulesByKind = kinds.mapValues(\.rules)
        rulesBySlot = kindOfSlot.map { rulesByKind[$0] ?? [] }
        states = [:]
    }

    /// The device's rule of that name when it has fired and still holds.
    func firingRule(_ slot: DeviceSlot, named name: RuleID) -> MetricRule? {
        let rules = rulesBySlot[Int(slot)]
        guard let r = rules.firstIndex(where: { $0.name == name.rawValue }), states[slot]?[r] == .firing else {
            return nil
        }
        return rules[r]
    }

    /// What the device's rules say about this heartbeat (`record` is asked for only when a rule
    /// fires or clears).
    mutating func evaluate(
        _ slot: DeviceSlot, _ beat: Heartbeat, _ record: @autoclosure () -> DeviceRecord, at now: Double
    ) -> [Finding] {
        let rules = rulesBySlot[Int(slot)]
        guard !rules.isEmpty, !beat.metrics.isEmpty else { return [] }
        var current = states.isEmpty ? nil : states[slot]
        var findings: [Finding] = []
        for (r, rule) in rules.enumerated() {
            guard let value = beat.metric(named: rule.metric) else { continue }
            let holds = rule.condition.holds(for: value)
            let state = current?[r] ?? .idle
            var next = state
            switch (state, holds) {
            case (.idle, true):
                next = .pending(since: now)
                if rule.forSeconds <= 0 { next = .firing }
            case (.pending(let since), true):
                if now - since >= rule.forSeconds { next = .firing }
            case (.pending, false):
                next = .idle
            case (.firing, false):
                next = .idle
                findings.append(.cleared(IncidentKey(rule: RuleID(rule.name), scope: .device, device: record().id)))
            case (.firing, true), (.idle, false):
                break
            }
            guard next != state else { continue }
            if next == .firing {
                findings.append(
                    .holds(
                        .device(
                            RuleID(rule.name), rule.priority, record(),
                            summary:
                                "\(rule.metric) \(value) \(rule.condition.text) for \(DurationText.seconds(rule.forSeconds))"
                        )))
            }
            if current == nil { current = Array(repeating: .idle, count: rules.count) }
            current?[r] = next
        }
        if let current {
            states[slot] = current.allSatisfy { $0 == .idle } ? nil : current
        }
        return findings
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
