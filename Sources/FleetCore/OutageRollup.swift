/// The P1 outage rules: per site, per site and core kind, and for the whole fleet, it counts the
/// devices and the offline ones and says which outage conditions hold. Devices in maintenance
/// or sleeping count nowhere. Counts move only with device states, so they inherit every protection the
/// offline rule has (grace, broker disconnects, stalls).
struct OutageRollup {
    private var sites: [String: OfflineCount] = [:]
    private var coreKinds: [String: OfflineCount] = [:]
    private var fleet = OfflineCount()
    private var isCore: Set<String>
    private var siteRatio: Double
    private var fleetRatio: Double

    init(_ configuration: Configuration) {
        isCore = Set(configuration.kinds.filter(\.value.core).keys)
        siteRatio = configuration.escalation.siteOfflineRatio
        fleetRatio = configuration.escalation.fleetOfflineRatio
    }

    /// A reload: kinds may have become core or not, ratios changed; counts from scratch.
    mutating func configure(_ configuration: Configuration, devices: [DeviceRecord]) {
        self = OutageRollup(configuration)
        for d in devices { add(d) }
    }

    mutating func add(_ record: DeviceRecord) { count(site: record.site, kind: record.kind, record.state, +1) }
    mutating func remove(_ record: DeviceRecord) { count(site: record.site, kind: record.kind, record.state, -1) }

    mutating func move(_ transition: DeviceTransition) {
        count(site: transition.record.site, kind: transition.record.kind, transition.from, -1)
        count(site: transition.record.site, kind: transition.record.kind, transition.to, +1)
    }

    private mutating func count(site: String, kind: String, _ state: DeviceState, _ delta: Int) {
        guard state.countsInRatios else { return }
        let offline = state == .offline ? delta : 0
        sites[site, default: OfflineCount()].total += delta
        sites[site, default: OfflineCount()].offline += offline
        if isCore.contains(kind) {
            let key = site + "/" + kind
            coreKinds[key, default: OfflineCount()].total += delta
            coreKinds[key, default: OfflineCount()].offline += offline
        }
        fleet.total += delta
        fleet.offline += offline
    }

    /// Whether each outage a device of `site`/`kind` takes part in holds now: evaluated whenever
    /// such a device goes offline or comes back.
    func evaluate(site: String, kind: String) -> [Finding] {
        var findings: [Finding] = []
        let siteCount = sites[site] ?? OfflineCount()
        if siteCount.total >= 2 && Double(siteCount.offline) >= siteRatio * Double(siteCount.total) {
            findings.append(
                .holds(
                    Problem(
                        rule: .siteOutage, priority: .p1, scope: .site, site: site,
                        summary: "\(siteCount.offline) of \(siteCount.total) devices at \(site) offline",
                        extent: siteCount.offline)))
        } else {
            findings.append(.cleared(IncidentKey(rule: .siteOutage, scope: .site, site: site)))
        }
        if isCore.contains(kind) {
            let core = coreKinds[site + "/" + kind] ?? OfflineCount()
            if core.total > 0 && core.offline == core.total {
                findings.append(
                    .holds(
                        Problem(
                            rule: .coreDown, priority: .p1, scope: .kind, site: site, kind: kind,
                            summary: "every \(kind) at \(site) offline (\(core.total))", extent: core.total)))
            } else {
                findings.append(.cleared(IncidentKey(rule: .coreDown, scope: .kind, site: site, kind: kind)))
            }
        }
        if fleet.total >= 2 && Double(fleet.offline) >= fleetRatio * Double(fleet.total) {
            findings.append(
                .holds(
                    Problem(
                        rule: .fleetOutage, priority: .p1, scope: .fleet,
                        summary: "\(fleet.offline) of \(fleet.total) devices offline", extent: fleet.offline)))
        } else {
            findings.append(.cleared(IncidentKey(rule: .fleetOutage, scope: .fleet)))
        }
        return findings
    }
}
