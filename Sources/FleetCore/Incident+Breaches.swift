/// Which of an incident's SLA deadlines can still be missed: what SLA-BREACH lines are about, and
/// what `OpenIncidents` keeps in its breach heap.
extension Incident {
    /// The deadline of `clock` while it runs and has not been breached: respond until
    /// acknowledged, onsite until arrival, resolve until a major part stops it, plan until the
    /// plan. Nil otherwise.
    func missableDeadline(_ clock: SLAClock) -> Double? {
        switch clock {
        case .respond: !respondBreached && status == .open ? respondBy : nil
        case .onsite: !onsiteBreached && arrivedAt == nil ? onsiteBy : nil
        case .resolve: !resolveBreached && partsAt == nil ? resolveBy : nil
        case .plan: !planBreached && plannedAt == nil ? planBy : nil
        }
    }

    /// The earliest deadline an announced incident can still miss; nil when none can (or its OPEN
    /// line is not out yet: breaches are not checked before it).
    var nextBreachDue: Double? {
        guard announced else { return nil }
        var earliest: Double?
        for clock in SLAClock.allCases {
            if let due = missableDeadline(clock), due < earliest ?? .infinity { earliest = due }
        }
        return earliest
    }

    mutating func markBreached(_ clock: SLAClock) {
        switch clock {
        case .respond: respondBreached = true
        case .onsite: onsiteBreached = true
        case .resolve: resolveBreached = true
        case .plan: planBreached = true
        }
    }
}
