extension DetectionEngine {
    /// P1 outages at site, core-kind and fleet level, re-evaluated whenever a device of the group
    /// goes offline or comes back.
    mutating func evaluateOutages(site: String, kind: String, at now: Moment) {
        let escalation = configuration.escalation
        let siteCount = siteCounts[site] ?? OfflineCount()
        let siteKey = IncidentKey(rule: "site-outage", scope: .site, site: site)
        if siteCount.total >= 2 && Double(siteCount.offline) >= escalation.siteOfflineRatio * Double(siteCount.total) {
            raise(rule: "site-outage", priority: .p1, scope: .site, site: site,
                  summary: "\(siteCount.offline) of \(siteCount.total) devices at \(site) offline", at: now)
        } else {
            clear(siteKey, at: now)
        }
        if configuration.kinds[kind]?.core == true {
            let core = coreCounts[site + "/" + kind] ?? OfflineCount()
            if core.total > 0 && core.offline == core.total {
                raise(rule: "core-down", priority: .p1, scope: .kind, site: site, kind: kind,
                      summary: "every \(kind) at \(site) offline (\(core.total))", at: now)
            } else {
                clear(IncidentKey(rule: "core-down", scope: .kind, site: site, kind: kind), at: now)
            }
        }
        if fleetCount.total >= 2
            && Double(fleetCount.offline) >= escalation.fleetOfflineRatio * Double(fleetCount.total) {
            raise(rule: "fleet-outage", priority: .p1, scope: .fleet,
                  summary: "\(fleetCount.offline) of \(fleetCount.total) devices offline", at: now)
        } else {
            clear(IncidentKey(rule: "fleet-outage", scope: .fleet), at: now)
        }
    }

    /// The widest open outage an incident falls under: fleet, then its site, then its core kind.
    /// Device `offline` incidents fall under all three; core-down under site and fleet; site-outage
    /// under fleet.
    func coveringOutage(of incident: Incident) -> Incident? {
        let fleet = unresolved[IncidentKey(rule: "fleet-outage", scope: .fleet)]
        switch incident.scope {
        case .device where incident.condition == "offline":
            if let fleet { return fleet }
            if let site = unresolved[IncidentKey(rule: "site-outage", scope: .site, site: incident.site)] { return site }
            return unresolved[IncidentKey(rule: "core-down", scope: .kind, site: incident.site, kind: incident.kind)]
        case .kind:
            return fleet ?? unresolved[IncidentKey(rule: "site-outage", scope: .site, site: incident.site)]
        case .site:
            return fleet
        default:
            return nil
        }
    }

    /// Whether `child` is the kind of incident `parent` takes in.
    func covers(_ parent: Incident, _ child: Incident) -> Bool {
        guard child.id != parent.id, child.status != .resolved else { return false }
        switch (parent.scope, child.scope) {
        case (.fleet, .device): return child.condition == "offline"
        case (.fleet, .site), (.fleet, .kind): return true
        case (.site, .device): return child.condition == "offline" && child.site == parent.site
        case (.site, .kind): return child.site == parent.site
        case (.kind, .device): return child.condition == "offline" && child.site == parent.site && child.kind == parent.kind
        default: return false
        }
    }
}
