/// The unresolved incidents and everything about their lifecycle: one incident per problem,
/// relapses, repeated failures, the wait before an OPEN line (`group_wait_s`) and grouping under
/// outages, the resolve clock of cleared conditions, flapping marks, SLA deadlines and operator
/// actions. It is told what rules found and returns what to save and announce.
struct IncidentBook {
    private(set) var unresolved: [IncidentKey: Incident] = [:]
    /// Unresolved incidents whose condition is clear, and since when (monotonic).
    private var clearSince: [IncidentKey: Double] = [:]
    /// Incidents waiting `group_wait_s` before their OPEN line, and until when (monotonic).
    private var awaitingAnnouncement: [IncidentKey: Double] = [:]
    private var nextIncidentID: Int64
    private var failures: FailureHistory
    private var policy: IncidentPolicy
    private(set) var clocks: SLAClocks

    init(restored: RestoredState, policy: IncidentPolicy, clocks: SLAClocks, at now: Moment) {
        self.policy = policy
        self.clocks = clocks
        nextIncidentID = restored.nextIncidentID
        failures = FailureHistory(restored: restored.recentFailures)
        for incident in restored.unresolvedIncidents {
            unresolved[incident.key] = incident
            nextIncidentID = max(nextIncidentID, incident.id + 1)
            if !incident.announced && incident.parent == nil {
                awaitingAnnouncement[incident.key] = now.monotonic
            }
        }
    }

    /// A reload: new waits, resolve delay, repeat rule and SLA durations; incidents stay.
    mutating func configure(policy: IncidentPolicy, clocks: SLAClocks) {
        self.policy = policy
        self.clocks = clocks
    }

    // MARK: reading

    func incident(_ key: IncidentKey) -> Incident? { unresolved[key] }

    func key(of id: Int64) -> IncidentKey? { unresolved.first { $0.value.id == id }?.key }

    func hasUnresolvedIncident(device id: String) -> Bool {
        unresolved.values.contains { $0.scope == .device && $0.device == id }
    }

    func openCounts() -> [Priority: Int] {
        var counts: [Priority: Int] = [:]
        for i in unresolved.values { counts[i.priority, default: 0] += 1 }
        return counts
    }

    /// Stores an operator's change to an incident and the line that records it.
    mutating func update(_ incident: Incident, _ key: IncidentKey, announcing event: AlertEvent) -> [EngineEffect] {
        unresolved[key] = incident
        return [.saveIncident(incident), .announce(event)]
    }

    // MARK: conditions

    /// A rule's condition holds: open an incident, or update the one already open for the same
    /// problem. Device incidents count toward `repeated-failure`; a flapping device's incident
    /// absorbs everything silently, and a flapping device opens no other.
    mutating func raise(_ problem: Problem, flapping: Bool, at now: Moment) -> [EngineEffect] {
        let key = problem.key
        if var incident = unresolved[key] {
            // Still-true conditions are re-asserted often; only a relapse after a clear is news.
            guard clearSince.removeValue(forKey: key) != nil else { return [] }
            incident.occurrences += 1
            incident.lastSeenAt = now.wall
            incident.summary = problem.summary
            let repeated = !flapping && problem.device.map { recordFailure(device: $0, at: now) } == true
            if repeated && incident.priority == .p2 {
                incident.priority = .p1
                unresolved[key] = incident
                var effects: [EngineEffect] = [.saveIncident(incident)]
                if incident.announced, let device = problem.device {
                    effects.append(.announce(AlertEvent(.escalate, incident, at: now, [
                        .init("occurrences", String(incident.occurrences)), .init("reason", RuleID.repeatedFailure.rawValue),
                        .init("msg", "failure \(failures.count(device: device)) within "
                              + DurationText.seconds(policy.repeatWindowSeconds)),
                    ])))
                }
                return effects
            }
            unresolved[key] = incident
            var effects: [EngineEffect] = [.saveIncident(incident)]
            if incident.announced && !flapping {
                effects.append(.announce(AlertEvent(.update, incident, at: now, [
                    .init("occurrences", String(incident.occurrences)), .init("msg", problem.summary),
                ])))
            }
            return effects
        }
        if let device = problem.device, flapping, hasUnresolvedIncident(device: device) { return [] }
        var openPriority = problem.priority
        var openRule = problem.rule
        if let device = problem.device, recordFailure(device: device, at: now), problem.priority == .p2 {
            openPriority = .p1
            openRule = .repeatedFailure
        }
        let id = nextIncidentID
        nextIncidentID += 1
        var incident = Incident(
            id: id, priority: openPriority, rule: openRule, scope: problem.scope, site: problem.site,
            kind: problem.kind, device: problem.device, flapping: flapping, openedAt: now.wall,
            respondBy: clocks.respondBy(openedAt: now.wall), summary: problem.summary, condition: problem.rule)
        incident.parent = coveringOutage(of: incident)?.id
        if incident.parent != nil { incident.groupedAt = now.wall }
        unresolved[key] = incident
        var effects: [EngineEffect] = [.saveIncident(incident)]
        if incident.isOutage { effects += adoptChildren(of: incident, at: now) }
        let waits = problem.scope == .device || problem.scope == .site || problem.scope == .kind
        if waits && policy.groupWaitSeconds > 0 {
            awaitingAnnouncement[key] = now.monotonic + policy.groupWaitSeconds
        } else if incident.parent == nil {
            effects += announce(key, at: now)
        }
        return effects
    }

    /// A rule's condition no longer holds: the incident resolves once it has stayed clear for
    /// `resolve_after_s`.
    mutating func clear(_ key: IncidentKey, at now: Moment) {
        guard unresolved[key] != nil, clearSince[key] == nil else { return }
        clearSince[key] = now.monotonic
    }

    /// Resolves the incidents clear for `resolve_after_s`. A flapping device's incident stays
    /// open until the device has been stable for a whole flap window.
    mutating func resolveCleared(at now: Moment) -> [EngineEffect] {
        guard !clearSince.isEmpty else { return [] }
        var due: [(IncidentKey, Double)] = []
        for (key, since) in clearSince where now.monotonic - since >= policy.resolveAfterSeconds {
            due.append((key, since))
        }
        var effects: [EngineEffect] = []
        for (key, since) in due {
            guard let incident = unresolved[key] else {
                clearSince[key] = nil
                continue
            }
            if incident.flapping { continue }
            clearSince[key] = nil
            effects += resolve(key, by: "auto",
                               message: "condition clear for \(DurationText.seconds(now.monotonic - since))", at: now)
        }
        return effects
    }

    mutating func resolve(_ key: IncidentKey, by: String, message: String, at now: Moment) -> [EngineEffect] {
        guard var incident = unresolved.removeValue(forKey: key) else { return [] }
        clearSince[key] = nil
        awaitingAnnouncement[key] = nil
        incident.status = .resolved
        incident.resolvedAt = now.wall
        var effects: [EngineEffect] = [.saveIncident(incident)]
        if incident.announced {
            effects.append(.announce(AlertEvent(.resolve, incident, at: now, [.init("by", by), .init("msg", message)])))
        }
        if incident.isOutage { effects += releaseChildren(of: incident, at: now) }
        return effects
    }

    /// Records a device failure; true when it is the `repeat_failures`-th inside the window.
    private mutating func recordFailure(device: String, at now: Moment) -> Bool {
        failures.record(device: device, window: policy.repeatWindowSeconds, at: now.wall) >= policy.repeatFailures
    }

    /// Once a second: forget failures that left the repeat window.
    mutating func forgetExpiredFailures(at now: Moment) {
        failures.forgetExpired(window: policy.repeatWindowSeconds, at: now.wall)
    }

    /// After a restart: incidents whose condition no longer holds start their resolve clock.
    mutating func reconcile(_ key: IncidentKey, holds: Bool, at now: Moment) {
        if !holds { clearSince[key] = now.monotonic }
    }

    // MARK: flapping

    /// The device started flapping: its incidents are marked, and the announced ones say so once.
    mutating func markFlapping(device id: String, at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, incident) in unresolved where incident.scope == .device && incident.device == id && !incident.flapping {
            var marked = incident
            marked.flapping = true
            unresolved[key] = marked
            effects.append(.saveIncident(marked))
            if marked.announced { effects.append(flappingLine(marked, at: now)) }
        }
        return effects
    }

    /// The device has been stable a whole window: its incidents resolve normally again.
    mutating func unmarkFlapping(device id: String) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, incident) in unresolved where incident.scope == .device && incident.device == id && incident.flapping {
            var calm = incident
            calm.flapping = false
            unresolved[key] = calm
            effects.append(.saveIncident(calm))
        }
        return effects
    }

    private func flappingLine(_ incident: Incident, at now: Moment) -> EngineEffect {
        .announce(AlertEvent(.flapping, incident, at: now, [
            .init("msg", "\(policy.flapChanges) state changes within \(DurationText.seconds(policy.flapWindowSeconds))"),
        ]))
    }

    // MARK: SLA

    /// Once a second: SLA-BREACH lines for deadlines just missed.
    mutating func checkDeadlines(at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, incident) in unresolved where incident.announced {
            let (changed, events) = clocks.breaches(of: incident, at: now)
            guard !events.isEmpty else { continue }
            unresolved[key] = changed
            effects += events.map { .announce($0) }
            effects.append(.saveIncident(changed))
        }
        return effects
    }

    // MARK: announcement and grouping

    /// Writes the OPEN line of an incident that waited for `group_wait_s` or needs no wait.
    mutating func announce(_ key: IncidentKey, at now: Moment) -> [EngineEffect] {
        guard var incident = unresolved[key], !incident.announced else { return [] }
        incident.announced = true
        unresolved[key] = incident
        var extra: [AlertEvent.Field] = []
        if let respondBy = incident.respondBy { extra.append(.init("respond_by", clocks.localTime.format.format(respondBy))) }
        extra.append(.init("msg", incident.summary))
        var effects: [EngineEffect] = [.saveIncident(incident), .announce(AlertEvent(.open, incident, at: now, extra))]
        if incident.flapping { effects.append(flappingLine(incident, at: now)) }
        return effects
    }

    /// After `group_wait_s` an incident is announced alone, unless a wider outage took it in.
    mutating func announceDue(at now: Moment) -> [EngineEffect] {
        guard !awaitingAnnouncement.isEmpty else { return [] }
        let due = awaitingAnnouncement.filter { $0.value <= now.monotonic }.map(\.key)
        var effects: [EngineEffect] = []
        for key in due {
            awaitingAnnouncement[key] = nil
            guard var incident = unresolved[key] else { continue }
            if incident.parent == nil, let parent = coveringOutage(of: incident) {
                incident.parent = parent.id
                incident.groupedAt = now.wall
                unresolved[key] = incident
                effects.append(.saveIncident(incident))
            }
            if incident.parent == nil { effects += announce(key, at: now) }
        }
        return effects
    }

    /// The widest open outage `incident` falls under.
    private func coveringOutage(of incident: Incident) -> Incident? {
        for key in IncidentGrouping.candidateParents(of: incident) {
            if let parent = unresolved[key] { return parent }
        }
        return nil
    }

    /// A new outage takes in the narrower incidents it covers (announced or not), without a line.
    private mutating func adoptChildren(of parent: Incident, at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, child) in unresolved where IncidentGrouping.covers(parent, child) {
            if let current = child.parent, let currentParent = unresolved.values.first(where: { $0.id == current }),
               !IncidentGrouping.covers(parent, currentParent) { continue }
            var adopted = child
            adopted.parent = parent.id
            adopted.groupedAt = now.wall
            unresolved[key] = adopted
            effects.append(.saveIncident(adopted))
        }
        return effects
    }

    /// When an outage resolves, its children still open belong to the next wider outage, or stand
    /// alone again and are announced now if they never were.
    private mutating func releaseChildren(of parent: Incident, at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (key, child) in unresolved where child.parent == parent.id {
            var released = child
            released.parent = coveringOutage(of: child)?.id
            released.groupedAt = released.parent == nil ? nil : now.wall
            unresolved[key] = released
            effects.append(.saveIncident(released))
            // A child whose own condition has already cleared resolves quietly instead.
            if released.parent == nil && !released.announced && awaitingAnnouncement[key] == nil
                && clearSince[key] == nil {
                effects += announce(key, at: now)
            }
        }
        return effects
    }
}
