/// What operators do to incidents through `fleetwatch`: acknowledge, dispatch an engineer, record
/// the arrival, add notes, resolve. Each checks the incident's state and records who did it.
extension DetectionEngine {
    public mutating func acknowledge(_ id: Int64, by: String, note: String?, at now: Moment)
        -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), var incident = unresolved[key] else { return .failure(.notFound(id)) }
        guard incident.status == .open else {
            return .failure(OperatorError("\(Incident.label(id)) is already acknowledged"))
        }
        incident.status = .acknowledged
        incident.acknowledgedAt = now.wall
        unresolved[key] = incident
        effects.append(.saveIncident(incident))
        var extra: [AlertEvent.Field] = [.init("by", by)]
        if let note, !note.isEmpty { extra.append(.init("note", note)) }
        effects.append(.announce(event(.ack, incident, at: now, extra: extra)))
        return .success(takeEffects())
    }

    /// An engineer must go on site: the on-site clock starts now (P1 in service time, P2 in
    /// wall-clock time).
    public mutating func dispatch(_ id: Int64, by: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), var incident = unresolved[key] else { return .failure(.notFound(id)) }
        guard incident.dispatchedAt == nil else {
            return .failure(OperatorError("\(Incident.label(id)) was already dispatched"))
        }
        let sla = configuration.sla
        incident.dispatchedAt = now.wall
        incident.onsiteBy = incident.priority == .p1
            ? calendar.adding(serviceSeconds: sla.p1OnsiteWithinSeconds, to: now.wall)
            : now.wall + sla.p2OnsiteWithinSeconds
        if incident.status == .open {  // sending someone is a response
            incident.status = .acknowledged
            incident.acknowledgedAt = now.wall
        }
        unresolved[key] = incident
        effects.append(.saveIncident(incident))
        var extra: [AlertEvent.Field] = [.init("by", by)]
        if let onsite = incident.onsiteBy { extra.append(.init("onsite_by", timeFormat.format(onsite))) }
        effects.append(.announce(event(.dispatch, incident, at: now, extra: extra)))
        return .success(takeEffects())
    }

    public mutating func arrive(_ id: Int64, by: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), var incident = unresolved[key] else { return .failure(.notFound(id)) }
        guard incident.dispatchedAt != nil else {
            return .failure(OperatorError("\(Incident.label(id)) has not been dispatched (fleetwatch dispatch \(Incident.label(id)) --by NAME first)"))
        }
        guard incident.arrivedAt == nil else { return .failure(OperatorError("\(Incident.label(id)) already has an arrival")) }
        incident.arrivedAt = now.wall
        unresolved[key] = incident
        effects.append(.saveIncident(incident))
        effects.append(.announce(event(.arrive, incident, at: now, extra: [.init("by", by)])))
        return .success(takeEffects())
    }

    public mutating func note(_ id: Int64, by: String, text: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), let incident = unresolved[key] else { return .failure(.notFound(id)) }
        effects.append(.announce(event(.note, incident, at: now, extra: [.init("by", by), .init("msg", text)])))
        return .success(takeEffects())
    }

    public mutating func resolveByOperator(_ id: Int64, by: String, note: String?, at now: Moment)
        -> Result<[EngineEffect], OperatorError> {
        guard let key = key(of: id), unresolved[key] != nil else { return .failure(.notFound(id)) }
        // The incident may have waited for group_wait_s unannounced: its RESOLVE needs an OPEN.
        announce(key, at: now)
        resolve(key, by: by, message: note ?? "resolved by operator", at: now)
        return .success(takeEffects())
    }

    func key(of id: Int64) -> IncidentKey? {
        unresolved.first { $0.value.id == id }?.key
    }
}
