import FleetCore
import FleetStore

extension StatusPageSnapshot {
    /// Reads devices, open incidents (with who acknowledged and dispatched them) and the last
    /// day's event counts from the store; site names and opening hours come from the
    /// configuration (`[sites.ID]`), and a site it lists without devices yet is shown too.
    public static func load(
        from store: StoreReader, now: Double, language: ReportLanguage,
        time: TimeFormat, health: MonitorHealth, configuration: Configuration,
        focus: String? = nil, refreshSeconds: Int = 10
    ) throws -> StatusPageSnapshot {
        let devices = try store.devices(site: focus)
        var hours = SiteHoursView.Cache(configuration: configuration, time: time, at: now)
        func site(_ id: String) -> Site {
            let view = hours.view(id)
            return Site(
                id: id, name: configuration.sites[id]?.name, devices: [],
                hours: view.schedule == nil ? nil : view)
        }
        var sites: [Site] = []
        for device in devices {
            if sites.last?.id != device.site { sites.append(site(device.site)) }
            sites[sites.count - 1].devices.append(device)
        }
        let listed = Set(sites.map(\.id))
        for id in configuration.sites.keys where !listed.contains(id) && (focus == nil || focus == id) {
            sites.append(site(id))
        }
        sites.sort { $0.id < $1.id }

        let open = try store.incidents(includeResolved: false)
        var acknowledgedBy: [Int64: String] = [:]
        var dispatchedBy: [Int64: String] = [:]
        for event in try store.operatorActionsOfUnresolvedIncidents() {
            switch event.kind {
            case .ack: acknowledgedBy[event.incidentID] = event.field("by")
            case .dispatch: dispatchedBy[event.incidentID] = event.field("by")
            default: break
            }
        }
        let problems = ProblemRow.fold(open)
            .filter { focus == nil || $0.incident.touches(site: focus) }
            .map {
                Problem(
                    row: $0, acknowledgedBy: acknowledgedBy[$0.incident.id],
                    dispatchedBy: dispatchedBy[$0.incident.id])
            }
        return StatusPageSnapshot(
            now: now, language: language, time: time, health: health, sites: sites,
            problems: problems, lastDay: try store.eventCounts(since: now - 86400),
            focus: focus, refreshSeconds: refreshSeconds)
    }
}

extension Incident {
    /// Whether a page about `site` shows it: its own incidents, and those of the fleet and of the
    /// monitoring itself, which concern every site.
    func touches(site: String?) -> Bool {
        guard let site else { return true }
        switch scope {
        case .fleet, .collector: return true
        case .device, .kind, .site: return self.site == site
        }
    }
}
