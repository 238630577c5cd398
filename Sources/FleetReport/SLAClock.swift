import FleetCore

/// The contract's clocks that the report counts (SPEC §6, §13), each with its deadline and the
/// moment its duty was done. Counting, compliance, near misses, the JSON keys, the tables and
/// the chart all follow from `allCases`.
public enum SLAClock: String, CaseIterable, Sendable {
    case respond, onsite
    /// The repair clock: resolved within `resolve_within_s` of opening, unless a major part is
    /// needed (then `resolve_by` is gone and `plan` runs: a plan by `plan_by`).
    case resolve, plan

    /// When the duty was due; nil when the incident has no such deadline.
    func deadline(_ i: Incident) -> Double? {
        switch self {
        case .respond: i.respondBy
        case .onsite: i.onsiteBy
        case .resolve: i.resolveBy
        case .plan: i.planBy
        }
    }

    /// When the clock started: opening for respond, dispatch for on-site.
    func start(_ i: Incident) -> Double? {
        switch self {
        case .respond, .resolve, .plan: i.openedAt
        case .onsite: i.dispatchedAt
        }
    }

    /// When the duty was done: answered (acknowledged) or resolved for respond; an engineer on
    /// site, or the problem resolved before one was needed, for on-site; resolved for resolve; a
    /// plan recorded (or the problem resolved without one) for plan.
    func done(_ i: Incident, events: [AlertEvent]) -> Double? {
        switch self {
        case .respond: earliest(i.acknowledgedAt, i.resolvedAt)
        case .onsite: earliest(i.arrivedAt, i.resolvedAt)
        case .resolve: i.resolvedAt
        case .plan: earliest(i.plannedAt ?? events.first { $0.kind == .plan }?.time, i.resolvedAt)
        }
    }

    /// Whether the window is counted in service time (respond, P1 on-site) or wall-clock time
    /// (P2 on-site), as the deadline was set (SPEC §6).
    func inServiceTime(_ i: Incident) -> Bool {
        switch self {
        case .respond: true
        case .onsite: i.priority == .p1
        case .resolve, .plan: false
        }
    }

    /// The `sla=` value of this clock's SLA-BREACH events.
    var breachName: String { rawValue }

    private func earliest(_ a: Double?, _ b: Double?) -> Double? {
        switch (a, b) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }
}

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
