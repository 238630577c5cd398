extension AlertEvent {
    /// An event about `incident`: its rule and scope fields first, then `extra`.
    init(_ kind: Kind, _ incident: Incident, at now: Moment, _ extra: [Field]) {
        var fields: [Field] = [.init("rule", incident.rule.rawValue)]
        if let site = incident.site { fields.append(.init("site", site)) }
        if let k = incident.kind { fields.append(.init("kind", k)) }
        if let device = incident.device { fields.append(.init("device", device)) }
        self.init(time: now.wall, kind: kind, priority: incident.priority, incidentID: incident.id,
                  fields: fields + extra)
    }
}
