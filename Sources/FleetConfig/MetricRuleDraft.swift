import FleetCore

/// A `[[kinds.NAME.rules]]` item as the file states it, before it is known to be complete: the
/// three conditions are separate keys, of which exactly one must be set.
struct MetricRuleDraft {
    var name = ""
    var metric = ""
    var below: Double?
    var above: Double?
    var equals: MetricValue?
    var forSeconds = 0.0
    var priority = Priority.p2

    var conditions: [MetricRule.Condition] {
        [
            below.map(MetricRule.Condition.below), above.map(MetricRule.Condition.above),
            equals.map(MetricRule.Condition.equals),
        ].compactMap { $0 }
    }

    /// The rule, when the draft is complete (its problems, if any, are reported by the key table).
    var rule: MetricRule? {
        guard let condition = conditions.first, conditions.count == 1, !metric.isEmpty,
            TopicParser.isValidIdentifier(name)
        else { return nil }
        return MetricRule(name: name, metric: metric, condition: condition, forSeconds: forSeconds, priority: priority)
    }
}
