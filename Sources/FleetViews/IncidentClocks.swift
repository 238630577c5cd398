import FleetCore

/// The deadlines of an open incident that the page shows: `respond_by` until acknowledged,
/// `onsite_by` once dispatched until the engineer arrives, and the repair clock (`resolve_by`,
/// or `plan_by` once a major part is needed).
struct IncidentClock: Equatable {
    enum Kind: Equatable { case respond, onsite, repair, plan }

    var kind: Kind
    var due: Double
    /// Was missed (an SLA-BREACH was written), though it may be met by now.
    var breached: Bool

    /// The clocks still running, earliest first.
    static func running(_ i: Incident) -> [IncidentClock] {
        var clocks: [IncidentClock] = []
        if let due = i.respondBy, i.acknowledgedAt == nil {
            clocks.append(IncidentClock(kind: .respond, due: due, breached: i.respondBreached))
        }
        if i.dispatchedAt != nil, i.arrivedAt == nil, let due = i.onsiteBy {
            clocks.append(IncidentClock(kind: .onsite, due: due, breached: i.onsiteBreached))
        }
        if i.partsAt != nil {
            if let due = i.planBy, i.plannedAt == nil {
                clocks.append(IncidentClock(kind: .plan, due: due, breached: i.planBreached))
            }
        } else if let due = i.resolveBy {
            clocks.append(IncidentClock(kind: .repair, due: due, breached: i.resolveBreached))
        }
        return clocks.sorted { $0.due < $1.due }
    }

    /// Priority first, then the nearest running deadline, then the oldest.
    static func pageOrder(_ a: Incident, _ b: Incident) -> Bool {
        if a.priority != b.priority { return a.priority < b.priority }
        let (da, db) = (running(a).first?.due ?? .infinity, running(b).first?.due ?? .infinity)
        if da != db { return da < db }
        return a.openedAt != b.openedAt ? a.openedAt < b.openedAt : a.id < b.id
    }
}
