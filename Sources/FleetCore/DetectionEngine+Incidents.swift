extension DetectionEngine {
    /// A rule's condition holds: open an incident, or update the one already open for the same
    /// problem (one incident per problem).
    mutating func raise(rule: String, priority: Priority, scope: IncidentScope, site: String? = nil,
                        kind: String? = nil, device: String? = nil, summary: String, at now: Moment) {
        let key = IncidentKey(rule: rule, scope: scope, site: site, kind: kind, device: device)
        if var incident = unresolved[key] {
            let wasClear = clearSince.removeValue(forKey: key) != nil
            // Still-true conditions are re-asserted on every heartbeat; only a relapse is news.
            guard wasClear else { return }
            incident.occurrences += 1
            incident.lastSeenAt = now.wall
            incident.summary = summary
            unresolved[key] = incident
            effects.append(.saveIncident(incident))
            effects.append(.announce(event(.update, incident, at: now, extra: [
                .init("occurrences", String(incident.occurrences)), .init("msg", summary),
            ])))
            return
        }
        let id = nextIncidentID
        nextIncidentID += 1
        let incident = Incident(
            id: id, priority: priority, rule: rule, scope: scope, site: site, kind: kind, device: device,
            openedAt: now.wall,
            respondBy: calendar.adding(serviceSeconds: configuration.sla.respondWithinSeconds, to: now.wall),
            summary: summary)
        unresolved[key] = incident
        effects.append(.saveIncident(incident))
        var extra: [AlertEvent.Field] = []
        if let respondBy = incident.respondBy { extra.append(.init("respond_by", timeFormat.format(respondBy))) }
        extra.append(.init("msg", summary))
        effects.append(.announce(event(.open, incident, at: now, extra: extra)))
    }

    /// A rule's condition no longer holds: the incident resolves once it has stayed clear for
    /// `resolve_after_s`.
    mutating func clear(_ key: IncidentKey, at now: Moment) {
        guard unresolved[key] != nil, clearSince[key] == nil else { return }
        clearSince[key] = now.monotonic
    }

    mutating func resolveClearedIncidents(at now: Moment) {
        guard !clearSince.isEmpty else { return }
        let after = configuration.detection.resolveAfterSeconds
        for (key, since) in clearSince where now.monotonic - since >= after {
            clearSince[key] = nil
            guard var incident = unresolved.removeValue(forKey: key) else { continue }
            incident.status = .resolved
            incident.resolvedAt = now.wall
            effects.append(.saveIncident(incident))
            effects.append(.announce(event(.resolve, incident, at: now, extra: [
                .init("by", "auto"), .init("msg", "condition clear for \(Self.seconds(now.monotonic - since))"),
            ])))
        }
    }

    /// After a restart, incidents whose condition is already clear start their resolve clock.
    mutating func reconcileRestoredIncidents(at now: Moment) {
        for (key, incident) in unresolved where incident.scope == .device {
            guard let id = incident.device, let index = indexByID[id] else { continue }
            let state = devices[Int(index)].record.state
            let holds: Bool
            switch incident.rule {
            case "offline": holds = state == .offline
            case "fault", "degraded": holds = state == .degraded
            default: holds = true
            }
            if !holds { clearSince[key] = now.monotonic }
        }
    }

    func event(_ kind: AlertEvent.Kind, _ incident: Incident, at now: Moment,
               extra: [AlertEvent.Field]) -> AlertEvent {
        var fields: [AlertEvent.Field] = [.init("rule", incident.rule)]
        if let site = incident.site { fields.append(.init("site", site)) }
        if let k = incident.kind { fields.append(.init("kind", k)) }
        if let device = incident.device { fields.append(.init("device", device)) }
        return AlertEvent(time: now.wall, kind: kind, priority: incident.priority, incidentID: incident.id,
                          fields: fields + extra)
    }
}
