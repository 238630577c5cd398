/// Which incident takes which in as a child: device `offline` incidents fall under their core
/// kind's `core-down`, their site's `site-outage` and the `fleet-outage`; `core-down` under its
/// site's outage and the fleet's; `site-outage` under the fleet's. The widest open one wins.
enum IncidentGrouping {
    /// Whether `child` is the kind of incident `parent` takes in.
    static func covers(_ parent: Incident, _ child: Incident) -> Bool {
        guard child.id != parent.id, child.status != .resolved else { return false }
        switch (parent.scope, child.scope) {
        case (.fleet, .device): return child.condition == .offline
        case (.fleet, .site), (.fleet, .kind): return true
        case (.site, .device): return child.condition == .offline && child.site == parent.site
        case (.site, .kind): return child.site == parent.site
        case (.kind, .device):
            return child.condition == .offline && child.site == parent.site && child.kind == parent.kind
        default: return false
        }
    }

    /// The keys of the outages that could cover `incident`, widest first.
    static func candidateParents(of incident: Incident) -> [IncidentKey] {
        let fleet = IncidentKey(rule: .fleetOutage, scope: .fleet)
        switch incident.scope {
        case .device where incident.condition == .offline:
            return [
                fleet, IncidentKey(rule: .siteOutage, scope: .site, site: incident.site),
                IncidentKey(rule: .coreDown, scope: .kind, site: incident.site, kind: incident.kind),
            ]
        case .kind:
            return [fleet, IncidentKey(rule: .siteOutage, scope: .site, site: incident.site)]
        case .site:
            return [fleet]
        default:
            return []
        }
    }
}
