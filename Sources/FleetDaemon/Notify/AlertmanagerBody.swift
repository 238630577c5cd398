import FleetCore

/// The body of a POST to Alertmanager's `/api/v2/alerts`: each incident as an alert (SPEC §14).
/// Labels identify an alert there, so an incident's labels never change while it lives, except
/// its priority on ESCALATE: the P2 alert is then ended and the P1 one starts.
struct AlertmanagerBody {
    let time: TimeFormat

    struct Alert: Equatable {
        var incident: Incident
        /// Set for an alert that is over: the incident resolved, or its P2 form escalated.
        var endsAt: Double?
        var priority: Priority
    }

    /// The alert for `incident` as it stands: ended once resolved.
    static func alert(_ incident: Incident) -> Alert {
        Alert(
            incident: incident, endsAt: incident.status == .resolved ? incident.resolvedAt : nil,
            priority: incident.priority)
    }

    func render(_ alerts: [Alert], siteNames: [String: String]) -> String {
        JSONText.array(alerts.map { alert($0, siteName: $0.incident.site.flatMap { siteNames[$0] }) })
    }

    private func alert(_ a: Alert, siteName: String?) -> String {
        let i = a.incident
        var labels: [(String, JSONText.Value)] = [
            ("alertname", .string(i.rule.rawValue)), ("incident", .string(Incident.label(i.id))),
            ("priority", .string(a.priority.rawValue)),
        ]
        for (key, value) in [("site", i.site), ("kind", i.kind), ("device", i.device)] {
            if let value { labels.append((key, .string(value))) }
        }
        var annotations: [(String, JSONText.Value)] = [("summary", .string(i.summary))]
        if let respondBy = i.respondBy { annotations.append(("respond_by", .string(time.format(respondBy)))) }
        if let onsiteBy = i.onsiteBy { annotations.append(("onsite_by", .string(time.format(onsiteBy)))) }
        if let siteName { annotations.append(("site_name", .string(siteName))) }
        var pairs: [(String, JSONText.Value)] = [
            ("labels", .raw(JSONText.object(labels))), ("annotations", .raw(JSONText.object(annotations))),
            ("startsAt", .string(time.format(i.openedAt, milliseconds: true))),
        ]
        if let endsAt = a.endsAt { pairs.append(("endsAt", .string(time.format(endsAt, milliseconds: true)))) }
        return JSONText.object(pairs)
    }
}
