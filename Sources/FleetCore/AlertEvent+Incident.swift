extension AlertEvent {
    /// An event about `incident`: its rule and scope fields (and an `error` incident's `code`)
    /// first, then `extra`.
    init(_ kind: Kind, _ incident: Incident, at now: Moment, _ extra: [Field]) {
        var fields: [Field] = [.init("rule", incident.rule.rawValue)]
        if let site = incident.site { fields.append(.init("site", site)) }
        if let k = incident.kind { fields.append(.init("kind", k)) }
        if let device = incident.device { fields.append(.init("device", device)) }
        if let code = incident.code { fields.append(.init("code", code)) }
        self.init(
            time: now.wall, kind: kind, priority: incident.priority, incidentID: incident.id,
            fields: fields + extra)
    }
}

extension AlertEvent.Field {
    /// `errors=E1,E2`: a device's active error codes on its `fault`/`degraded` incident's lines.
    static func errors(_ codes: [String]) -> AlertEvent.Field { .init("errors", codes.joined(separator: ",")) }
}
