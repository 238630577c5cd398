/// Announcement and grouping: the OPEN line after `group_wait_s`, held back for blips, and the
/// parent/child links between outages and the incidents they cover (SPEC §5 "Grouping").
extension IncidentBook {
    /// Writes the OPEN line of an incident that waited for `group_wait_s` or needs no wait.
    mutating func announce(_ key: IncidentKey, at now: Moment) -> [EngineEffect] {
        guard var incident = unresolved[key], !incident.announced else { return [] }
        incident.announced = true
        unresolved[key] = incident
        clocks.scheduleWarnings(for: incident)
        var extra: [AlertEvent.Field] = []
        let format = clocks.localTime.format
        if let respondBy = incident.respondBy { extra.append(.init("respond_by", format.format(respondBy))) }
        if let resolveBy = incident.resolveBy { extra.append(.init("resolve_by", format.format(resolveBy))) }
        if !incident.errors.isEmpty { extra.append(.errors(incident.errors)) }
        if let eta = incident.eta { extra.append(.init("eta", format.format(eta))) }
        extra.append(.init("msg", incident.summary))
        var effects: [EngineEffect] = [.saveIncident(incident), .announce(AlertEvent(.open, incident, at: now, extra))]
        if incident.flapping { effects.append(flappingLine(incident, at: now)) }
        return effects
    }

    /// After `group_wait_s` an incident is announced alone, unless a wider outage took it in. One
    /// whose condition is clear by then is held back: it resolves without a line, or is announced
    /// when its condition returns first (what resolved during the wait is never sent).
    mutating func announceDue(at now: Moment) -> [EngineEffect] {
        guard !awaitingAnnouncement.isEmpty else { return [] }
        // In the order they opened, so incidents raised together are announced in a fixed order.
        let due = awaitingAnnouncement.filter { $0.value <= now.monotonic }.map(\.key)
            .sorted { (unresolved[$0]?.id ?? 0) < (unresolved[$1]?.id ?? 0) }
        var effects: [EngineEffect] = []
        for key in due {
            awaitingAnnouncement[key] = nil
            guard clearSince[key] == nil else { continue }
            effects += announceOrGroup(key, at: now)
        }
        return effects
    }

    /// Announces an incident alone, or makes it the child of the outage that covers it now.
    mutating func announceOrGroup(_ key: IncidentKey, at now: Moment) -> [EngineEffect] {
        guard var incident = unresolved[key] else { return [] }
        var effects: [EngineEffect] = []
        if incident.parent == nil, let parent = coveringOutage(of: incident) {
            incident = adopted(incident, by: parent, at: now)
            unresolved[key] = incident
            effects.append(.saveIncident(incident))
        }
        if incident.parent == nil { effects += announce(key, at: now) }
        return effects
    }

    /// `child` as a child of `parent`: it follows the parent's handling (acknowledged, an engineer
    /// dispatched or on site), since the operator works the problem through the parent.
    func adopted(_ child: Incident, by parent: Incident, at now: Moment) -> Incident {
        var c = child
        c.parent = parent.id
        c.groupedAt = now.wall
        if parent.status == .acknowledged && c.status == .open {
            c.status = .acknowledged
            c.acknowledgedAt = now.wall
        }
        if parent.dispatchedAt != nil && c.dispatchedAt == nil {
            c.dispatchedAt = now.wall
            c.onsiteBy = parent.onsiteBy
        }
        if parent.arrivedAt != nil && c.arrivedAt == nil && c.dispatchedAt != nil { c.arrivedAt = now.wall }
        if parent.partsAt != nil && c.partsAt == nil {  // the repair clock follows too
            c.partsAt = now.wall
            c.resolveBy = nil
            c.planBy = parent.planBy
        }
        if parent.plannedAt != nil && c.plannedAt == nil && c.partsAt != nil { c.plannedAt = now.wall }
        return c
    }

    /// After an operator acted on `parent`: its children follow, without lines of their own.
    mutating func childrenFollow(_ parent: Incident, at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, child) in unresolved.children(of: parent.id) {
            var following = adopted(child, by: parent, at: now)
            following.groupedAt = child.groupedAt
            guard following != child else { continue }
            unresolved[key] = following
            effects.append(.saveIncident(following))
        }
        return effects
    }

    /// Every unresolved incident under `id`, deepest first.
    func descendants(of id: Int64) -> [Incident] {
        var out: [Incident] = []
        for child in unresolved.values where child.parent == id {
            out += descendants(of: child.id)
            out.append(child)
        }
        return out
    }

    /// The widest open outage `incident` falls under.
    func coveringOutage(of incident: Incident) -> Incident? {
        for key in IncidentGrouping.candidateParents(of: incident) {
            if let parent = unresolved[key] { return parent }
        }
        return nil
    }

    /// A new outage takes in the narrower incidents it covers (announced or not), without a line.
    mutating func adoptChildren(of parent: Incident, at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, child) in unresolved where IncidentGrouping.covers(parent, child) {
            if let current = child.parent, let currentParent = unresolved.incident(id: current),
                !IncidentGrouping.covers(parent, currentParent)
            {
                continue
            }
            let taken = adopted(child, by: parent, at: now)
            unresolved[key] = taken
            effects.append(.saveIncident(taken))
        }
        return effects
    }

    /// When an outage resolves, its children still open belong to the next wider outage, or stand
    /// alone again and are announced now if they never were.
    mutating func releaseChildren(of parent: Incident, at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, child) in unresolved.children(of: parent.id) {
            var released = child
            released.parent = nil
            released.groupedAt = nil
            if let next = coveringOutage(of: child) { released = adopted(released, by: next, at: now) }
            unresolved[key] = released
            effects.append(.saveIncident(released))
            // A child whose own condition has already cleared resolves quietly instead.
            if released.parent == nil && !released.announced && awaitingAnnouncement[key] == nil
                && clearSince[key] == nil
            {
                effects += announce(key, at: now)
            }
        }
        return effects
    }
}
