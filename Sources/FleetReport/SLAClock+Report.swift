import FleetCore

/// The contract's clocks as the report counts them (SPEC §6, §13), each with its deadline and
/// the moment its duty was done. Counting, compliance, near misses, the JSON keys, the tables
/// and the chart all follow from `allCases`.
extension SLAClock {
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
