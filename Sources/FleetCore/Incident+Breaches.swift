/// Which of an incident's SLA deadlines can still be missed: what SLA-BREACH lines are about, and
/// what `OpenIncidents` keeps in its breach heap.
extension Incident {
    /// The deadline of `clock`, running or not (nil when it has none: not dispatched, no parts).
    func deadline(_ clock: SLAClock) -> Double? {
        switch clock {
        case .respond: respondBy
        case .onsite: onsiteBy
        case .resolve: resolveBy
        case .plan: planBy
        }
    }

    /// The deadline of `clock` while it runs and has not been breached: respond until
    /// acknowledged, onsite until arrival, resolve until a major part stops it, plan until the
    /// plan. Nil otherwise.
    func missableDeadline(_ clock: SLAClock) -> Double? {
        let missable =
            switch clock {
            case .respond: !respondBreached && status == .open
            case .onsite: !onsiteBreached && arrivedAt == nil
            case .resolve: !resolveBreached && partsAt == nil
            case .plan: !planBreached && plannedAt == nil
            }
        return missable ? deadline(clock) : nil
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
