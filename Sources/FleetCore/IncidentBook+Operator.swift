/// What operators do to incidents through `fleetwatch`: acknowledge, dispatch an engineer, record
/// the arrival, add notes, resolve. Each checks the incident's state and records who did it.
/// An outage's children follow its acknowledgement, dispatch and arrival (without lines of their
/// own), and resolving it by hand resolves them too.
extension IncidentBook {
    mutating func acknowledge(
        _ id: Int64, by: String, note: String?, at now: Moment
    )
        -> Result<[EngineEffect], OperatorError>
    {
        guard let key = key(of: id), var incident = incident(key) else { return .failure(.notFound(id)) }
        guard incident.status == .open else {
            return .failure(OperatorError("\(Incident.label(id)) is already acknowledged"))
        }
        incident.status = .acknowledged
        incident.acknowledgedAt = now.wall
        var extra: [AlertEvent.Field] = [.init("by", by)]
        if let note, !note.isEmpty { extra.append(.init("note", note)) }
        return .success(
            update(incident, key, announcing: AlertEvent(.ack, incident, at: now, extra))
                + childrenFollow(incident, at: now))
    }

    /// An engineer must go on site: the on-site clock starts now (P1 in service time, P2 in
    /// wall-clock time). Sending someone is also a response.
    mutating func dispatch(_ id: Int64, by: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), var incident = incident(key) else { return .failure(.notFound(id)) }
        guard incident.dispatchedAt == nil else {
            return .failure(OperatorError("\(Incident.label(id)) was already dispatched"))
        }
        incident.dispatchedAt = now.wall
        incident.onsiteBy = clocks.onsiteBy(incident.priority, dispatchedAt: now.wall)
        if incident.status == .open {
            incident.status = .acknowledged
            incident.acknowledgedAt = now.wall
        }
        clocks.scheduleWarnings(for: incident)
        var extra: [AlertEvent.Field] = [.init("by", by)]
        if let onsite = incident.onsiteBy { extra.append(.init("onsite_by", clocks.localTime.format.format(onsite))) }
        return .success(
            update(incident, key, announcing: AlertEvent(.dispatch, incident, at: now, extra))
                + childrenFollow(incident, at: now))
    }

    mutating func arrive(_ id: Int64, by: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), var incident = incident(key) else { return .failure(.notFound(id)) }
        guard incident.dispatchedAt != nil else {
            let label = Incident.label(id)
            return .failure(
                OperatorError("\(label) has not been dispatched (fleetwatch dispatch \(label) --by NAME first)"))
        }
        guard incident.arrivedAt == nil else {
            return .failure(OperatorError("\(Incident.label(id)) already has an arrival"))
        }
        incident.arrivedAt = now.wall
        return .success(
            update(incident, key, announcing: AlertEvent(.arrive, incident, at: now, [.init("by", by)]))
                + childrenFollow(incident, at: now))
    }

    /// A major part is needed (the contract's hardware terms): the repair clock stops and a
    /// concrete plan is due by `plan_by` (opened + `plan_within_s`). Once per incident.
    mutating func markParts(
        _ id: Int64, by: String, note: String?, at now: Moment
    ) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), var incident = incident(key) else { return .failure(.notFound(id)) }
        guard incident.partsAt == nil else {
            return .failure(OperatorError("\(Incident.label(id)) is already marked as needing a major part"))
        }
        incident.partsAt = now.wall
        incident.resolveBy = nil
        incident.planBy = clocks.planBy(openedAt: incident.openedAt)
        clocks.scheduleWarnings(for: incident)
        var extra: [AlertEvent.Field] = [.init("by", by)]
        if let planBy = incident.planBy { extra.append(.init("plan_by", clocks.localTime.format.format(planBy))) }
        if let note, !note.isEmpty { extra.append(.init("note", note)) }
        return .success(
            update(incident, key, announcing: AlertEvent(.parts, incident, at: now, extra))
                + childrenFollow(incident, at: now))
    }

    /// The concrete solution for a major part. Needs `parts` first; a later PLAN revises it (the
    /// clock was met or missed by the first).
    mutating func recordPlan(
        _ id: Int64, by: String, text: String, at now: Moment
    ) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), var incident = incident(key) else { return .failure(.notFound(id)) }
        guard incident.partsAt != nil else {
            let label = Incident.label(id)
            return .failure(
                OperatorError(
                    "\(label) is not marked as needing a major part (fleetwatch parts \(label) --by NAME first)"))
        }
        if incident.plannedAt == nil { incident.plannedAt = now.wall }
        let event = AlertEvent(.plan, incident, at: now, [.init("by", by), .init("msg", text)])
        return .success(update(incident, key, announcing: event) + childrenFollow(incident, at: now))
    }

    func note(_ id: Int64, by: String, text: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), let incident = incident(key) else { return .failure(.notFound(id)) }
        return .success([.announce(AlertEvent(.note, incident, at: now, [.init("by", by), .init("msg", text)]))])
    }

    /// An incident that waited for `group_wait_s` unannounced gets its OPEN line first: a RESOLVE
    /// needs an OPEN before it. Its children resolve with it, by the same operator: those that
    /// were announced get a RESOLVE line, the others none. Returns what was resolved, so the
    /// engine can open new incidents for conditions that still hold.
    mutating func resolveByOperator(
        _ id: Int64, by: String, note: String?, at now: Moment
    )
        -> Result<(effects: [EngineEffect], resolved: [Incident]), OperatorError>
    {
        guard let key = key(of: id), let incident = incident(key) else { return .failure(.notFound(id)) }
        var effects = announce(key, at: now)
        var resolved: [Incident] = []
        for child in descendants(of: id) {
            effects += resolve(child.key, by: by, message: "resolved with its parent \(Incident.label(id))", at: now)
            resolved.append(child)
        }
        effects += resolve(key, by: by, message: note ?? "resolved by operator", at: now)
        resolved.append(incident)
        return .success((effects, resolved))
    }
}

extension IncidentBook {
    /// An incident that only the alert log knew (see `adoptUnrecordedStorageFailures`). One
    /// incident per problem: if another is open for the same one, the older of the two resolves.
    mutating func adopt(_ incident: Incident, at now: Moment) -> [EngineEffect] {
        nextIncidentID = max(nextIncidentID, incident.id + 1)
        let key = incident.key
        var effects: [EngineEffect] = []
        if let open = unresolved[key] {
            if open.id > incident.id {
                var closed = incident
                closed.status = .resolved
                closed.resolvedAt = now.wall
                return [
                    .saveIncident(closed),
                    .announce(
                        AlertEvent(
                            .resolve, closed, at: now,
                            [
                                .init("by", "auto"), .init("msg", "superseded by \(Incident.label(open.id))"),
                            ])),
                ]
            }
            effects = resolve(key, by: "auto", message: "superseded by \(Incident.label(incident.id))", at: now)
        }
        unresolved[key] = incident
        return effects
    }
}

extension IncidentBook {
    /// Resolves every unresolved incident of one device (it is being forgotten).
    mutating func resolveAll(device id: String, by: String, message: String, at now: Moment) -> [EngineEffect] {
        let keys = unresolved.compactMap { $0.value.scope == .device && $0.value.device == id ? $0.key : nil }
        return keys.flatMap { resolve($0, by: by, message: message, at: now) }
    }
}
