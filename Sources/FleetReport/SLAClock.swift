import FleetCore

/// The contract's clocks that the report counts, each with its deadline and the moment its duty
/// was done. The repair clock (SPEC §6: `resolve` from opening, `plan` for incidents that need a
/// major part) is added here as two more cases once incidents carry `resolve_by` and `plan_by`:
/// `resolve` is done by `resolvedAt`; `plan` by the time of its `PLAN` event. Everything else
/// (counting, compliance, near misses, JSON keys, tables, the chart) follows from `allCases`.
public enum SLAClock: String, CaseIterable, Sendable {
    case respond, onsite

    /// When the duty was due; nil when the incident has no such deadline.
    func deadline(_ i: Incident) -> Double? {
        switch self {
        case .respond: i.respondBy
        case .onsite: i.onsiteBy
        }
    }

    /// When the clock started: opening for respond, dispatch for on-site.
    func start(_ i: Incident) -> Double? {
        switch self {
        case .respond: i.openedAt
        case .onsite: i.dispatchedAt
        }
    }

    /// When the duty was done: answered (acknowledged) or resolved for respond; an engineer on
    /// site, or the problem resolved before one was needed, for on-site.
    func done(_ i: Incident, events: [AlertEvent]) -> Double? {
        switch self {
        case .respond: earliest(i.acknowledgedAt, i.resolvedAt)
        case .onsite: earliest(i.arrivedAt, i.resolvedAt)
        }
    }

    /// Whether the window is counted in service time (respond, P1 on-site) or wall-clock time
    /// (P2 on-site), as the deadline was set (SPEC §6).
    func inServiceTime(_ i: Incident) -> Bool {
        switch self {
        case .respond: true
        case .onsite: i.priority == .p1
        }
    }

    /// The `sla=` value of this clock's SLA-BREACH events.
    var breachName: String { rawValue }

    private func earliest(_ a: Double?, _ b: Double?) -> Double? {
        switch (a, b) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
    }
}

/// How one deadline ended: breached (an SLA-BREACH event), met (done by then), or neither yet.
public enum SLAOutcome: String, Sendable {
    case met, breached, pending

    static func of(_ clock: SLAClock, _ i: Incident, events: [AlertEvent]) -> SLAOutcome? {
        guard let due = clock.deadline(i) else { return nil }
        if events.contains(where: { $0.kind == .slaBreach && $0.field("sla") == clock.breachName }) {
            return .breached
        }
        if let done = clock.done(i, events: events), done <= due { return .met }
        return .pending
    }
}
