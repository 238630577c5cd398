import FleetCore
import FleetStore

@testable import FleetViews

/// A small district at a fixed moment, with hostile text wherever a device, an operator or the
/// configuration supplies a string: the status page's golden snapshot.
enum PageFixture {
    static let now = 1_795_699_804.0  // 2026-11-26T21:30:04+08:00
    static let zone = TimeFormat(zoneIdentifier: "Asia/Shanghai")
    static let hostileSite = "<script>alert(\"site\")</script> Reading room"
    static let hostileName = "\"><img src=x onerror=alert(1)>"
    static let hostileFirmware = "1.0<b>beta</b>"
    static let hostileSummary = "no heartbeat <script>alert('summary')</script>"
    static let hostileOperator = "<b>ops</b> & co"
    static let hostileDispatcher = "bob'); --"

    static func device(
        _ id: String, _ site: String, _ kind: String, _ state: DeviceState, name: String? = nil,
        firmware: String? = nil, heard: Double? = 30
    ) -> DeviceRecord {
        DeviceRecord(
            id: id, site: site, kind: kind, name: name, inventory: true, state: state,
            stateSince: now - 2400, lastSeen: heard.map { now - $0 }, firmware: firmware)
    }

    /// 天山路 opens 09:00–21:00 (closed at the fixture's 21:30, opening tomorrow); 新华路 has a
    /// hostile name and no schedule.
    static var configuration: Configuration {
        var c = Configuration()
        c.schedules["branch"] = ScheduleSettings(hours: [DailyRange(start: 9 * 3600, end: 21 * 3600)])
        c.sites["tianshan"] = SiteSettings(name: "天山路街道图书馆", schedule: "branch")
        c.sites["xinhua"] = SiteSettings(name: hostileSite)
        return c
    }

    static func hours(_ site: String) -> SiteHoursView? {
        let view = SiteHoursView(site: site, configuration: configuration, time: zone, at: now)
        return view.schedule == nil ? nil : view
    }

    static var sites: [StatusPageSnapshot.Site] {
        [
            .init(
                id: "central", name: nil,
                devices: [
                    device("gate-c1", "central", "face-gate", .online),
                    device("gate-c2", "central", "face-gate", .online),
                    device("robot-c1", "central", "delivery-robot", .online, name: "1F robot"),
                ]),
            .init(
                id: "tianshan", name: "天山路街道图书馆",
                devices: [
                    device("gate-01", "tianshan", "face-gate", .degraded),
                    device("kiosk-01", "tianshan", "digital-human", .maintenance),
                    device("kiosk-02", "tianshan", "digital-human", .sleeping),
                    device("locker-01", "tianshan", "pickup-locker", .offline, heard: 2460),
                    device(
                        "robot-01", "tianshan", "delivery-robot", .online, name: "3F delivery robot", firmware: "2.4.1"),
                ], hours: hours("tianshan")),
            .init(
                id: "xinhua", name: hostileSite,
                devices: [
                    device("gate-x1", "xinhua", "face-gate", .online, firmware: hostileFirmware),
                    device("gate-x2", "xinhua", "face-gate", .unknown, name: hostileName, heard: nil),
                ]),
        ]
    }

    static func incident(
        _ id: Int64, _ priority: Priority, _ rule: RuleID, _ scope: IncidentScope, site: String?,
        kind: String? = nil, device: String? = nil, openedAgo: Double, respondIn: Double,
        summary: String
    ) -> Incident {
        var i = Incident(
            id: id, priority: priority, rule: rule, scope: scope, site: site, kind: kind, device: device,
            openedAt: now - openedAgo, respondBy: now + respondIn, summary: summary, announced: true)
        i.resolveBy = now - openedAgo + 259_200
        return i
    }

    static var problems: [StatusPageSnapshot.Problem] {
        var locker = incident(
            7, .p2, .offline, .device, site: "tianshan", kind: "pickup-locker", device: "locker-01",
            openedAgo: 2400, respondIn: 4800, summary: hostileSummary)
        locker.status = .acknowledged
        locker.acknowledgedAt = now - 1800
        locker.dispatchedAt = now - 1200
        locker.onsiteBy = now + 85_200
        var gate = incident(
            8, .p2, .degraded, .device, site: "tianshan", kind: "face-gate", device: "gate-01",
            openedAgo: 10_800, respondIn: -3600, summary: "device reports health degraded")
        gate.respondBreached = true
        let outage = incident(
            9, .p1, .siteOutage, .site, site: "xinhua", openedAgo: 600, respondIn: 6600,
            summary: "1 of 2 devices at xinhua offline")
        var child = incident(
            10, .p2, .offline, .device, site: "xinhua", kind: "face-gate", device: "gate-x2",
            openedAgo: 600, respondIn: 6600, summary: "not heard since the daemon started")
        child.parent = 9
        return [
            .init(row: ProblemRow(incident: locker), acknowledgedBy: hostileOperator, dispatchedBy: hostileDispatcher),
            .init(row: ProblemRow(incident: gate)),
            .init(row: ProblemRow(incident: outage, children: [child])),
        ]
    }

    static let lastDay = [
        EventCount(kind: .open, priority: .p1, count: 1), EventCount(kind: .open, priority: .p2, count: 3),
        EventCount(kind: .resolve, priority: .p2, count: 2), EventCount(kind: .slaBreach, priority: .p2, count: 1),
    ]

    static func snapshot(_ language: ReportLanguage, focus: String? = nil) -> StatusPageSnapshot {
        StatusPageSnapshot(
            now: now, language: language, time: zone,
            health: .init(
                startedAt: now - 86_400 * 2 - 3600, brokerConnected: true, brokerDownTooLong: false,
                databaseFailing: false),
            sites: focus.map { id in sites.filter { $0.id == id } } ?? sites,
            problems: problems, lastDay: lastDay, focus: focus)
    }
}
