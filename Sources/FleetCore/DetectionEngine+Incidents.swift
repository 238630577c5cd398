extension DetectionEngine {
    /// A rule's condition holds: open an incident, or update the one already open for the same
    /// problem (one incident per problem). Device incidents count toward `repeated-failure`;
    /// a flapping device's incident absorbs everything silently.
    mutating func raise(rule: String, priority: Priority, scope: IncidentScope, site: String? = nil,
                        kind: String? = nil, device: String? = nil, summary: String, at now: Moment) {
        let key = IncidentKey(rule: rule, scope: scope, site: site, kind: kind, device: device)
        let deviceIndex = device.flatMap { index(ofDevice: $0) }
        if let deviceIndex, devices[Int(deviceIndex)].record.state == .maintenance { return }
        let flapping = deviceIndex.map { devices[Int($0)].flapping } ?? false
        if var incident = unresolved[key] {
            // Still-true conditions are re-asserted often; only a relapse after a clear is news.
            guard clearSince.removeValue(forKey: key) != nil else { return }
            incident.occurrences += 1
            incident.lastSeenAt = now.wall
            incident.summary = summary
            let repeated = !flapping && deviceIndex.map { recordFailure($0, at: now) } == true
            if repeated && incident.priority == .p2 {
                incident.priority = .p1
                unresolved[key] = incident
                effects.append(.saveIncident(incident))
                if incident.announced {
                    effects.append(.announce(event(.escalate, incident, at: now, extra: [
                        .init("occurrences", String(incident.occurrences)), .init("reason", "repeated-failure"),
                        .init("msg", "failure \(devices[Int(deviceIndex!)].failures.count) within \(Self.seconds(configuration.escalation.repeatWindowSeconds))"),
                    ])))
                }
                return
            }
            unresolved[key] = incident
            effects.append(.saveIncident(incident))
            if incident.announced && !flapping {
                effects.append(.announce(event(.update, incident, at: now, extra: [
                    .init("occurrences", String(incident.occurrences)), .init("msg", summary),
                ])))
            }
            return
        }
        if let deviceIndex, flapping, hasUnresolvedIncident(device: devices[Int(deviceIndex)].record.id) { return }
        var openPriority = priority
        var openRule = rule
        if let deviceIndex, recordFailure(deviceIndex, at: now), priority == .p2 {
            openPriority = .p1
            openRule = "repeated-failure"
        }
        let id = nextIncidentID
        nextIncidentID += 1
        var incident = Incident(
            id: id, priority: openPriority, rule: openRule, scope: scope, site: site, kind: kind, device: device,
            flapping: flapping, openedAt: now.wall,
            respondBy: calendar.adding(serviceSeconds: configuration.sla.respondWithinSeconds, to: now.wall),
            summary: summary, condition: rule)
        incident.parent = coveringOutage(of: incident)?.id
        if incident.parent != nil { incident.groupedAt = now.wall }
        unresolved[key] = incident
        effects.append(.saveIncident(incident))
        if scope == .site || scope == .kind || scope == .fleet { adoptChildren(of: incident, at: now) }
        let waits = scope == .device || scope == .site || scope == .kind
        if waits && configuration.escalation.groupWaitSeconds > 0 {
            awaitingAnnouncement[key] = now.monotonic + configuration.escalation.groupWaitSeconds
        } else if incident.parent == nil {
            announce(key, at: now)
        }
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
            guard let incident = unresolved[key] else {
                clearSince[key] = nil
                continue
            }
            // A flapping device keeps its incident open until it has been stable a whole window.
            if let id = incident.device, let index = index(ofDevice: id), devices[Int(index)].flapping { continue }
            clearSince[key] = nil
            resolve(key, by: "auto", message: "condition clear for \(Self.seconds(now.monotonic - since))", at: now)
        }
    }

    mutating func resolve(_ key: IncidentKey, by: String, message: String, at now: Moment) {
        guard var incident = unresolved.removeValue(forKey: key) else { return }
        clearSince[key] = nil
        awaitingAnnouncement[key] = nil
        incident.status = .resolved
        incident.resolvedAt = now.wall
        effects.append(.saveIncident(incident))
        if incident.announced {
            effects.append(.announce(event(.resolve, incident, at: now, extra: [
                .init("by", by), .init("msg", message),
            ])))
        }
        if incident.scope == .site || incident.scope == .kind || incident.scope == .fleet {
            releaseChildren(of: incident, at: now)
        }
    }

    /// Writes the OPEN line of an incident that waited for `group_wait_s` or needs no wait.
    mutating func announce(_ key: IncidentKey, at now: Moment) {
        guard var incident = unresolved[key], !incident.announced else { return }
        incident.announced = true
        unresolved[key] = incident
        effects.append(.saveIncident(incident))
        var extra: [AlertEvent.Field] = []
        if let respondBy = incident.respondBy { extra.append(.init("respond_by", timeFormat.format(respondBy))) }
        extra.append(.init("msg", incident.summary))
        effects.append(.announce(event(.open, incident, at: now, extra: extra)))
        if incident.flapping { announceFlapping(key, at: now) }
    }

    /// After `group_wait_s` an incident is announced alone, unless a wider outage took it in.
    mutating func announceAfterGroupWait(at now: Moment) {
        guard !awaitingAnnouncement.isEmpty else { return }
        for (key, due) in awaitingAnnouncement where due <= now.monotonic {
            awaitingAnnouncement[key] = nil
            guard var incident = unresolved[key] else { continue }
            if incident.parent == nil, let parent = coveringOutage(of: incident) {
                incident.parent = parent.id
                incident.groupedAt = now.wall
                unresolved[key] = incident
                effects.append(.saveIncident(incident))
            }
            if incident.parent == nil { announce(key, at: now) }
        }
    }

    /// A new outage takes in the narrower incidents it covers (announced or not), without a line.
    mutating func adoptChildren(of parent: Incident, at now: Moment) {
        for (key, child) in unresolved where covers(parent, child) {
            if let current = child.parent, let currentParent = unresolved.values.first(where: { $0.id == current }),
               !covers(parent, currentParent) { continue }
            var adopted = child
            adopted.parent = parent.id
            adopted.groupedAt = now.wall
            unresolved[key] = adopted
            effects.append(.saveIncident(adopted))
        }
    }

    /// When an outage resolves, its children still open belong to the next wider outage, or stand
    /// alone again and are announced now if they never were.
    mutating func releaseChildren(of parent: Incident, at now: Moment) {
        for (key, child) in unresolved where child.parent == parent.id {
            var released = child
            released.parent = coveringOutage(of: child)?.id
            released.groupedAt = released.parent == nil ? nil : now.wall
            unresolved[key] = released
            effects.append(.saveIncident(released))
            // A child whose own condition has already cleared resolves quietly instead.
            if released.parent == nil && !released.announced && awaitingAnnouncement[key] == nil
                && clearSince[key] == nil {
                announce(key, at: now)
            }
        }
    }

    func hasUnresolvedIncident(device id: String) -> Bool {
        unresolved.values.contains { $0.scope == .device && $0.device == id }
    }

    /// After a restart, incidents whose condition is already clear start their resolve clock.
    mutating func reconcileRestoredIncidents(at now: Moment) {
        for (key, incident) in unresolved where incident.scope == .device {
            guard let id = incident.device, let index = index(ofDevice: id) else { continue }
            if let health = Heartbeat.Health(rawValue: incident.condition), health != .ok {
                devices[Int(index)].health = health  // so the next `ok` heartbeat is a change
            }
            let state = devices[Int(index)].record.state
            let holds: Bool
            switch incident.condition {
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
