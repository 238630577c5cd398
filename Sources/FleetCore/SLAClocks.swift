/// The maintenance contract's clocks on an incident: `respond_by` from opening (service time),
/// `onsite_by` from dispatch (P1 in service time, P2 in wall-clock time), the repair clock
/// `resolve_by` from opening (wall clock), or — once a major part is needed — `plan_by`, and an
/// `SLA-BREACH` line once per missed deadline.
struct SLAClocks {
    private var sla: SLASettings
    private(set) var localTime: LocalTime

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
        if !incident.respondBreached, incident.status == .open, let due = incident.respondBy, now.wall >= due {
            changed.respondBreached = true
            events.append(AlertEvent(.slaBreach, incident, at: now, [
                .init("sla", "respond"), .init("due", localTime.format.format(due)),
                .init("msg", "not acknowledged by respond_by"),
            ]))
        }
        if !incident.onsiteBreached, incident.arrivedAt == nil, let due = incident.onsiteBy, now.wall >= due {
            changed.onsiteBreached = true
            events.append(AlertEvent(.slaBreach, incident, at: now, [
                .init("sla", "onsite"), .init("due", localTime.format.format(due)),
                .init("msg", "no engineer on site by onsite_by"),
            ]))
        }
        if !incident.resolveBreached, incident.partsAt == nil, let due = incident.resolveBy, now.wall >= due {
            changed.resolveBreached = true
            events.append(AlertEvent(.slaBreach, incident, at: now, [
                .init("sla", "resolve"), .init("due", localTime.format.format(due)),
                .init("msg", "not resolved by resolve_by"),
            ]))
        }
        if !incident.planBreached, incident.plannedAt == nil, let due = incident.planBy, now.wall >= due {
            changed.planBreached = true
            events.append(AlertEvent(.slaBreach, incident, at: now, [
                .init("sla", "plan"), .init("due", localTime.format.format(due)),
                .init("msg", "no plan for the major part by plan_by"),
            ]))
        }
        return (changed, events)
    }
}
