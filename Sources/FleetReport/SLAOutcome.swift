import FleetCore

/// How one deadline ended: breached (an SLA-BREACH event), met (done by then), or neither yet.
public enum SLAOutcome: String, Sendable {
    case met, breached, pending

    static func of(_ clock: SLAClock, _ i: Incident, events: [AlertEvent]) -> SLAOutcome? {
        guard let due = deadline(clock, i, events: events) else { return nil }
        if breach(clock, events) != nil { return .breached }
        if let done = clock.done(i, events: events), done <= due { return .met }
        return .pending
    }

    /// The incident's deadline, or the one its breach event names: marking a major part clears
    /// `resolve_by`, but a repair clock already breached stays breached.
    static func deadline(_ clock: SLAClock, _ i: Incident, events: [AlertEvent]) -> Double? {
        clock.deadline(i) ?? breach(clock, events)?.field("due").flatMap(RFC3339.parse)
    }

    static func breach(_ clock: SLAClock, _ events: [AlertEvent]) -> AlertEvent? {
        events.first { $0.kind == .slaBreach && $0.field("sla") == clock.breachName }
    }
}
