/// The unresolved incidents and everything about their lifecycle: one incident per problem,
/// relapses, repeated failures, the wait before an OPEN line (`group_wait_s`) and grouping under
/// outages, the resolve clock of cleared conditions, flapping marks, SLA deadlines and operator
/// actions. It is told what rules found and returns what to save and announce.
struct IncidentBook {
    // Touched only by IncidentBook's own files (this one and IncidentBook+*.swift).
    var unresolved = OpenIncidents()
    /// Unresolved incidents whose condition is clear, and since when (monotonic).
    var clearSince: [IncidentKey: Double] = [:]
    /// Incidents waiting `group_wait_s` before their OPEN line, and until when (monotonic).
    var awaitingAnnouncement: [IncidentKey: Double] = [:]
    var nextIncidentID: Int64
    private var failures: FailureHistory
    private var policy: IncidentPolicy
    var clocks: SLAClocks

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
            self.clocks.scheduleWarnings(for: incident)
        }
    }

    /// A reload: new waits, resolve delay, repeat rule and SLA durations; incidents stay.
    mutating func configure(policy: IncidentPolicy, clocks: SLAClocks) {
        self.policy = policy
        self.clocks = clocks
        self.clocks.rescheduleWarnings(for: unresolved.values)
    }

    // MARK: reading

    func incident(_ key: IncidentKey) -> Incident? { unresolved[key] }

    func key(of id: Int64) -> IncidentKey? { unresolved.key(of: id) }

    func hasUnresolvedIncident(device id: String) -> Bool {
        unresolved.values.contains { $0.scope == .device && $0.device == id }
    }

    func openCounts() -> [Priority: Int] { unresolved.countsByPriority }

    /// Stores an operator's change to an incident and the line that records it.
    mutating func update(_ incident: Incident, _ key: IncidentKey, announcing event: AlertEvent) -> [EngineEffect] {
        unresolved[key] = incident
        return [.saveIncident(incident), .announce(event)]
    }

    // MARK: conditions

    /// A rule's condition holds: open an incident, or update the one already open for the same
    /// problem. Device incidents count toward `repeated-failure` (unless `countsAsFailure` is
    /// false: an operator's resolve is not the device failing again); a flapping device's incident
    /// absorbs everything silently, and a flapping device opens no other.
    mutating func raise(
        _ problem: Problem, flapping: Bool, countsAsFailure: Bool = true,
        at now: Moment
    ) -> [EngineEffect] {
        let key = problem.key
        if let incident = unresolved[key] {
            // Still-true conditions are re-asserted often; only a relapse after a clear is news.
            guard clearSince.removeValue(forKey: key) != nil else { return refreshOutage(incident, problem) }
            return relapse(incident, problem, flapping: flapping, at: now)
        }
        if let device = problem.device, flapping, hasUnresolvedIncident(device: device) { return [] }
        var openPriority = problem.priority
        var openRule = problem.rule
        if countsAsFailure, let device = problem.device, recordFailure(device: device, at: now), problem.priority == .p2
        {
            openPriority = .p1
            openRule = .repeatedFailure
        }
        let id = nextIncidentID
        nextIncidentID += 1
        var incident = Incident(
            id: id, priority: openPriority, rule: openRule, scope: problem.scope, site: problem.site,
            kind: problem.kind, device: problem.device, flapping: flapping, openedAt: now.wall,
            respondBy: clocks.respondBy(openedAt: now.wall), summary: problem.summary, condition: problem.rule)
        incident.extent = problem.extent
        incident.eta = problem.eta
        incident.resolveBy = clocks.resolveBy(openedAt: now.wall)
        incident.code = problem.code
        incident.errors = problem.errors
        if let parent = coveringOutage(of: incident) { incident = adopted(incident, by: parent, at: now) }
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

    /// The condition came back before the incident resolved: one more occurrence (an UPDATE line,
    /// or an ESCALATE when it is the repeated failure that makes it P1). An incident held back
    /// because its condition had cleared when its OPEN line fell due is announced now.
    private mutating func relapse(
        _ open: Incident, _ problem: Problem, flapping: Bool, at now: Moment
    ) -> [EngineEffect] {
        let key = problem.key
        var incident = open
        incident.occurrences += 1
        incident.lastSeenAt = now.wall
        incident.summary = problem.summary
        incident.extent = problem.extent
        incident.eta = problem.eta ?? incident.eta
        incident.errors = problem.errors
        let repeated = !flapping && problem.device.map { recordFailure(device: $0, at: now) } == true
        let line: AlertEvent?
        if repeated && incident.priority == .p2, let device = problem.device {
            incident.priority = .p1
            line = AlertEvent(
                .escalate, incident, at: now,
                [
                    .init("occurrences", String(incident.occurrences)),
                    .init("reason", RuleID.repeatedFailure.rawValue),
                    .init(
                        "msg",
                        "failure \(failures.count(device: device)) within "
                            + DurationText.seconds(policy.repeatWindowSeconds)),
                ])
        } else {
            var fields: [AlertEvent.Field] = [.init("occurrences", String(incident.occurrences))]
            if !incident.errors.isEmpty { fields.append(.errors(incident.errors)) }
            fields += etaField(problem.eta)
            fields.append(.init("msg", problem.summary))
            line = flapping ? nil : AlertEvent(.update, incident, at: now, fields)
        }
        unresolved[key] = incident
        var effects: [EngineEffect] = [.saveIncident(incident)]
        if incident.announced, let line { effects.append(.announce(line)) }
        if !incident.announced && awaitingAnnouncement[key] == nil { effects += announceOrGroup(key, at: now) }
        return effects
    }

    /// An open outage whose extent changed (more or fewer devices down) keeps its summary and
    /// extent current, without a line: widening to a new level is another rule's incident.
    private mutating func refreshOutage(_ open: Incident, _ problem: Problem) -> [EngineEffect] {
        guard open.isOutage, open.summary != problem.summary || open.extent != problem.extent else { return [] }
        var incident = open
        incident.summary = problem.summary
        incident.extent = problem.extent
        unresolved[problem.key] = incident
        return [.saveIncident(incident)]
    }

    /// A condition that still holds says something new (a forecast's eta moved significantly): the
    /// incident takes the new summary and eta, and an announced one says so in an UPDATE line. A
    /// condition that is clear, or an incident not open, is not revised (the next `raise` is).
    mutating func revise(_ problem: Problem, at now: Moment) -> [EngineEffect] {
        let key = problem.key
        guard var incident = unresolved[key], clearSince[key] == nil else { return [] }
        incident.summary = problem.summary
        incident.eta = problem.eta
        incident.lastSeenAt = now.wall
        unresolved[key] = incident
        var effects: [EngineEffect] = [.saveIncident(incident)]
        if incident.announced && !incident.flapping {
            effects.append(
                .announce(
                    AlertEvent(
                        .update, incident, at: now,
                        etaField(problem.eta) + [.init("msg", problem.summary)])))
        }
        return effects
    }

    /// The device's active error codes changed while its `fault`/`degraded` incident is open: the
    /// incident carries the new ones, and an announced one says so in an UPDATE line (`errors=`,
    /// empty when the device reports none any more). One not yet announced shows them on its OPEN.
    mutating func updateErrors(_ key: IncidentKey, _ errors: [String], at now: Moment) -> [EngineEffect] {
        guard var incident = unresolved[key], incident.errors != errors else { return [] }
        incident.errors = errors
        incident.lastSeenAt = now.wall
        unresolved[key] = incident
        var effects: [EngineEffect] = [.saveIncident(incident)]
        if incident.announced && !incident.flapping {
            let message =
                errors.isEmpty
                ? "no active error codes" : "active error codes now \(errors.joined(separator: ", "))"
            effects.append(
                .announce(
                    AlertEvent(
                        .update, incident, at: now,
                        [
                            .init("occurrences", String(incident.occurrences)), .errors(errors), .init("msg", message),
                        ])))
        }
        return effects
    }

    /// `eta=` for a forecast's lines, in the SLA zone like every time on them.
    func etaField(_ eta: Double?) -> [AlertEvent.Field] {
        eta.map { [.init("eta", clocks.localTime.format.format($0))] } ?? []
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
            effects += resolve(
                key, by: "auto",
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
            effects.append(
                .announce(AlertEvent(.resolve, incident, at: now, [.init("by", by), .init("msg", message)])))
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
        for (key, incident) in unresolved where incident.scope == .device && incident.device == id && !incident.flapping
        {
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
        for (key, incident) in unresolved where incident.scope == .device && incident.device == id && incident.flapping
        {
            var calm = incident
            calm.flapping = false
            unresolved[key] = calm
            effects.append(.saveIncident(calm))
        }
        return effects
    }

    func flappingLine(_ incident: Incident, at now: Moment) -> EngineEffect {
        .announce(
            AlertEvent(
                .flapping, incident, at: now,
                [
                    .init(
                        "msg",
                        "\(policy.flapChanges) state changes within \(DurationText.seconds(policy.flapWindowSeconds))")
                ]))
    }

    // MARK: SLA

    /// Once a second: SLA-WARNING lines for deadlines `warn_before_s` away, SLA-BREACH lines for
    /// deadlines just missed.
    mutating func checkDeadlines(at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        while let entry = clocks.nextDueWarning(at: now) {
            guard let key = unresolved.key(of: entry.incident), let incident = unresolved[key],
                let (warned, event) = clocks.warning(entry, of: incident, at: now)
            else { continue }
            unresolved[key] = warned
            effects += [.announce(event), .saveIncident(warned)]
        }
        while let id = unresolved.popBreachCandidate(at: now.wall) {
            guard let key = unresolved.key(of: id), let incident = unresolved[key] else { continue }
            let (changed, events) = clocks.breaches(of: incident, at: now)
            guard !events.isEmpty else { continue }
            unresolved[key] = changed
            effects += events.map { .announce($0) }
            effects.append(.saveIncident(changed))
        }
        return effects
    }
}
