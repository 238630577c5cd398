/// The maintenance contract's clocks on an incident: `respond_by` from opening (service time),
/// `onsite_by` from dispatch (P1 in service time, P2 in wall-clock time), the repair clock
/// `resolve_by` from opening (wall clock), or — once a major part is needed — `plan_by`, an
/// `SLA-WARNING` line `warn_before_s` before each deadline and an `SLA-BREACH` line once per
/// missed deadline.
struct SLAClocks {
    private var sla: SLASettings
    private(set) var localTime: LocalTime
    /// When the warnings of announced incidents fall due; filled by `scheduleWarnings`.
    private var warningQueue = MinHeap<SLAWarning>()

    init(_ sla: SLASettings, localTime: LocalTime) {
        self.sla = sla
        self.localTime = localTime
    }

    func respondBy(openedAt: Double) -> Double? {
        localTime.serviceCalendar.adding(serviceSeconds: sla.respondWithinSeconds, to: openedAt)
    }

    /// Nil when the repair clock is off (`resolve_within_s = 0`).
    func resolveBy(openedAt: Double) -> Double? {
        sla.resolveWithinSeconds > 0 ? openedAt + sla.resolveWithinSeconds : nil
    }

    func planBy(openedAt: Double) -> Double { openedAt + sla.planWithinSeconds }

    func onsiteBy(_ priority: Priority, dispatchedAt: Double) -> Double? {
        priority == .p1
            ? localTime.serviceCalendar.adding(serviceSeconds: sla.p1OnsiteWithinSeconds, to: dispatchedAt)
            : dispatchedAt + sla.p2OnsiteWithinSeconds
    }

    /// The deadlines an announced incident has just missed: the incident with its breach flags
    /// set, and the SLA-BREACH events to write (none when nothing is newly missed).
    func breaches(of incident: Incident, at now: Moment) -> (Incident, [AlertEvent]) {
        guard incident.announced else { return (incident, []) }
        var changed = incident
        var events: [AlertEvent] = []
        for clock in SLAClock.allCases {
            guard let due = incident.missableDeadline(clock), now.wall >= due else { continue }
            changed.markBreached(clock)
            let message =
                switch clock {
                case .respond: "not acknowledged by respond_by"
                case .onsite: "no engineer on site by onsite_by"
                case .resolve: "not resolved by resolve_by"
                case .plan: "no plan for the major part by plan_by"
                }
            events.append(
                AlertEvent(
                    .slaBreach, incident, at: now,
                    [.init("sla", clock.rawValue), .init("due", localTime.format.format(due)), .init("msg", message)]))
        }
        return (changed, events)
    }

    // MARK: warnings (SPEC §14)

    /// Queues the SLA-WARNING moments of an announced incident's running deadlines not yet warned
    /// of: when it is announced, dispatched, restored after a restart, or the settings reloaded.
    mutating func scheduleWarnings(for incident: Incident) {
        guard sla.warnBeforeSeconds > 0, incident.announced, incident.status != .resolved else { return }
        for clock in SLAClock.allCases where isRunning(clock, incident) && !warned(clock, incident) {
            guard let due = incident.deadline(clock), let warnAt = warnAt(clock, incident, due: due) else {
                continue
            }
            warningQueue.push(.init(warnAt: warnAt, incident: incident.id, clock: clock, due: due))
        }
    }

    /// A reload (new warn_before_s or calendar): every warning is computed again.
    mutating func rescheduleWarnings(for incidents: some Sequence<Incident>) {
        warningQueue.removeAll()
        for incident in incidents { scheduleWarnings(for: incident) }
    }

    /// The next queued warning due at `now`, for `warning(_:of:at:)` to judge; nil when none is.
    mutating func nextDueWarning(at now: Moment) -> SLAWarning? { warningQueue.popDue(now.wall) }

    /// The SLA-WARNING for a due entry, with the incident's flag set; nil when it no longer
    /// applies: the incident was acknowledged (respond) or someone arrived (onsite), it was warned
    /// already, its deadline moved, or the deadline has passed (SLA-BREACH speaks then).
    func warning(_ entry: SLAWarning, of incident: Incident, at now: Moment) -> (Incident, AlertEvent)? {
        let clock = entry.clock
        guard incident.announced, isRunning(clock, incident), !warned(clock, incident),
            let due = incident.deadline(clock), due == entry.due, now.wall < due
        else { return nil }
        var changed = incident
        switch clock {
        case .respond: changed.respondWarned = true
        case .onsite: changed.onsiteWarned = true
        case .resolve: changed.resolveWarned = true
        case .plan: changed.planWarned = true
        }
        let left = DurationText.seconds(sla.warnBeforeSeconds)
        let service = usesServiceTime(clock, incident) ? " of service time" : ""
        let message =
            switch clock {
            case .respond: "not acknowledged; respond_by in \(left)\(service)"
            case .onsite: "no engineer on site yet; onsite_by in \(left)\(service)"
            case .resolve: "not resolved yet; resolve_by in \(left)"
            case .plan: "no plan for the major part yet; plan_by in \(left)"
            }
        return (
            changed,
            AlertEvent(
                .slaWarning, incident, at: now,
                [
                    .init("sla", clock.rawValue), .init("due", localTime.format.format(due)), .init("msg", message),
                ])
        )
    }

    /// Whether the deadline can still be missed: respond until acknowledged, onsite until
    /// arrival, resolve until resolved or stopped by a major part, plan until the plan.
    private func isRunning(_ clock: SLAClock, _ incident: Incident) -> Bool {
        switch clock {
        case .respond: incident.status == .open
        case .onsite: incident.status != .resolved && incident.arrivedAt == nil
        case .resolve: incident.status != .resolved && incident.partsAt == nil
        case .plan: incident.status != .resolved && incident.plannedAt == nil
        }
    }

    private func warned(_ clock: SLAClock, _ incident: Incident) -> Bool {
        switch clock {
        case .respond: incident.respondWarned
        case .onsite: incident.onsiteWarned
        case .resolve: incident.resolveWarned
        case .plan: incident.planWarned
        }
    }

    /// respond_by and a P1's onsite_by count service time, so their warning does too (30 min
    /// before a 09:20 deadline is 21:50 the evening before); a P2's onsite_by and the repair
    /// clocks are wall-clock time.
    private func usesServiceTime(_ clock: SLAClock, _ incident: Incident) -> Bool {
        switch clock {
        case .respond: true
        case .onsite: incident.priority == .p1
        case .resolve, .plan: false
        }
    }

    private func warnAt(_ clock: SLAClock, _ incident: Incident, due: Double) -> Double? {
        usesServiceTime(clock, incident)
            ? localTime.serviceCalendar.subtracting(serviceSeconds: sla.warnBeforeSeconds, from: due)
            : due - sla.warnBeforeSeconds
    }
}
