import FleetCore
import Foundation

@testable import FleetReport

/// Hand-built histories on the contract's calendar (every day 09:00–12:00 and 13:00–22:00,
/// Asia/Shanghai), with times written as local wall clock so each expected figure can be worked
/// out on paper.
struct ReportFixture {
    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? .current

    /// `2026-11-03 11:30` (local) → Unix seconds.
    static func at(_ text: String) -> Double {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        guard let date = f.date(from: text) else { fatalError("bad fixture time \(text)") }
        return date.timeIntervalSince1970
    }

    static let hour = 3600.0
    static let minute = 60.0
    /// Service time of one full day: 3 h + 9 h.
    static let serviceDay = 12 * hour

    /// November 2026 in Shanghai, by its numbers (ReportPeriodTests checks `month` gives the same).
    var period = ReportPeriod(from: 1_793_462_400, to: 1_796_054_400, month: "2026-11")
    var language = ReportLanguage.en
    var historySince: Double? = at("2026-10-01 00:00")
    var devices: [DeviceRecord] = []
    var stateAtStart: [String: String] = [:]
    var changes: [String: [DeviceStateChange]] = [:]
    var incidents: [Incident] = []
    var events: [Int64: [AlertEvent]] = [:]
    var maintenance: [MaintenanceWindow] = []
    var siteNames = ["tianshan": "天山路街道图书馆", "central": "Central Library"]
    var site: String?
    var sla = SLASettings()

    /// A device that exists from before the period in `initial`, then moves through `moves`
    /// (local time, state) — only the moves inside the period are kept, as the store returns them.
    mutating func device(
        _ id: String, site: String = "tianshan", kind: String = "face-gate",
        initial: String? = "online", _ moves: [(String, String)] = [], firmware: String? = nil,
        lastSeen: Double? = 0, clockSkewed: Bool = false
    ) {
        devices.append(
            DeviceRecord(
                id: id, site: site, kind: kind, inventory: true, state: .online,
                stateSince: period.from, lastSeen: lastSeen, clockSkewed: clockSkewed,
                firmware: firmware))
        var state = initial
        var inside: [DeviceStateChange] = []
        for (time, next) in moves {
            let t = Self.at(time)
            if t <= period.from {
                state = next
            } else if t < period.to {
                inside.append(DeviceStateChange(time: t, state: next))
            }
        }
        if let state { stateAtStart[id] = state }
        if !inside.isEmpty { changes[id] = inside }
    }

    /// An incident with its times in local wall clock; respond_by is computed as the daemon does.
    @discardableResult
    mutating func incident(
        _ id: Int64, rule: RuleID = .offline, priority: Priority = .p2, scope: IncidentScope = .device,
        site: String? = "tianshan", device: String? = "gate-01", opened: String,
        acknowledged: String? = nil, resolved: String? = nil, dispatched: String? = nil,
        arrived: String? = nil, parent: Int64? = nil, announced: Bool = true,
        condition: RuleID? = nil
    ) -> Incident {
        let calendar = ServiceCalendar(sla)
        let openedAt = Self.at(opened)
        var i = Incident(
            id: id, priority: priority,
            status: resolved != nil ? .resolved : (acknowledged != nil ? .acknowledged : .open),
            rule: rule, scope: scope, site: site, kind: scope == .device ? "face-gate" : nil,
            device: scope == .device ? device : nil, parent: parent, openedAt: openedAt,
            acknowledgedAt: acknowledged.map(Self.at), resolvedAt: resolved.map(Self.at),
            respondBy: calendar.adding(serviceSeconds: sla.respondWithinSeconds, to: openedAt),
            summary: "test", condition: condition, announced: announced)
        if let dispatched {
            let d = Self.at(dispatched)
            i.dispatchedAt = d
            i.onsiteBy =
                priority == .p1
                ? calendar.adding(serviceSeconds: sla.p1OnsiteWithinSeconds, to: d)
                : d + sla.p2OnsiteWithinSeconds
        }
        i.arrivedAt = arrived.map(Self.at)
        incidents.append(i)
        return i
    }

    mutating func event(_ incident: Int64, _ kind: AlertEvent.Kind, at time: String, _ fields: [(String, String)] = [])
    {
        events[incident, default: []].append(
            AlertEvent(
                time: Self.at(time), kind: kind, priority: .p2, incidentID: incident,
                fields: fields.map { AlertEvent.Field($0.0, $0.1) }))
    }

    var input: ReportInput {
        ReportInput(
            period: period, sla: sla, language: language, site: site, siteNames: siteNames, repeatFailures: 3,
            generatedAt: period.to + 3600, historySince: historySince, devices: devices,
            stateAtStart: stateAtStart, changes: changes, incidents: incidents, events: events,
            maintenance: maintenance)
    }

    var report: InspectionReport { InspectionReport(input) }
}

extension InspectionReport {
    func device(_ id: String) -> DeviceFigures? { devices.first { $0.id == id } }
}
