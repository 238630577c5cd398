/// Service-level deadlines: an `SLA-BREACH` line, once per deadline, when an incident is not
/// acknowledged by `respond_by` or nobody has arrived by `onsite_by`.
extension DetectionEngine {
    mutating func checkDeadlines(at now: Moment) {
        for (key, incident) in unresolved where incident.announced {
            var changed = incident
            if !incident.respondBreached, incident.status == .open, let due = incident.respondBy, now.wall >= due {
                changed.respondBreached = true
                effects.append(.announce(event(.slaBreach, incident, at: now, extra: [
                    .init("sla", "respond"), .init("due", timeFormat.format(due)),
                    .init("msg", "not acknowledged by respond_by"),
                ])))
            }
            if !incident.onsiteBreached, incident.arrivedAt == nil, let due = incident.onsiteBy, now.wall >= due {
                changed.onsiteBreached = true
                effects.append(.announce(event(.slaBreach, incident, at: now, extra: [
                    .init("sla", "onsite"), .init("due", timeFormat.format(due)),
                    .init("msg", "no engineer on site by onsite_by"),
                ])))
            }
            if changed != incident {
                unresolved[key] = changed
                effects.append(.saveIncident(changed))
            }
        }
    }
}
