import FleetCore
import Foundation

/// The inspection report (巡检报告, SPEC §13) as figures: built from a `ReportInput` alone, then
/// rendered as HTML, Markdown or JSON. Every number follows SPEC §13's definitions; where the
/// SPEC is silent the choice is written next to the code that makes it (docs/operators.md lists
/// them for operators).
public struct InspectionReport: Sendable {
    public let input: ReportInput
    public let localTime: LocalTime
    let days: ReportDays
    /// Service seconds in the period (the calendar alone, whatever the devices did).
    public let serviceSeconds: Double
    /// From when the figures have data: the later of the period's start and the start of state
    /// history; nil when history began after the period (or has not begun).
    public let dataFrom: Double?
    public let devices: [DeviceFigures]
    public let fleet: AvailabilityTotal
    /// By site id and kind name, in id order.
    public let sites: [GroupFigures]
    public let kinds: [GroupFigures]
    public let incidents: IncidentFigures
    public let sla: SLAFigures
    /// The period's problems in the order they opened.
    public let handling: [HandlingRecord]
    public let risks: [Risk]
    public let recommendations: [Recommendation]

    public init(_ given: ReportInput) {
        // One row per problem, as `fleetwatch incidents` folds them (ProblemRow): a child whose
        // outage is not among the incidents read (a fleet outage, in a report of one site)
        // stands as a problem of its own.
        var input = given
        let rows = ProblemRow.fold(given.incidents)
        let roots = Set(rows.map(\.incident.id))
        input.incidents = given.incidents.map { i in
            var rooted = i
            if roots.contains(i.id), i.parent != nil {
                rooted.parent = nil
                // It was grouped, not a blip: it went unannounced because its outage spoke for it.
                rooted.groupedAt = rooted.groupedAt ?? i.openedAt
            }
            return rooted
        }
        self.input = input
        let period = input.period
        localTime = LocalTime(input.sla)
        let days = ReportDays(period, zone: localTime.format.zone)
        self.days = days
        let timeline = Self.timeline(input, calendar: localTime.serviceCalendar)
        serviceSeconds = timeline.seconds(from: period.from, to: period.to)
        dataFrom = input.historySince.flatMap { $0 < period.to ? max($0, period.from) : nil }

        var devices = input.devices.map { DeviceFigures($0, days: days.count) }
        var slot: [String: Int] = [:]
        for (i, d) in devices.enumerated() {
            slot[d.id] = i
            devices[i].measure(
                start: input.stateAtStart[d.id], changes: input.changes[d.id] ?? [], timeline: timeline,
                days: days)
            devices[i].setReboots(input.reboots[d.id])
        }
        for incident in input.incidents where incident.scope == .device && days.index(of: incident.openedAt) != nil {
            if let device = incident.device, let i = slot[device] { devices[i].count(incident) }
        }
        self.devices = devices

        var fleet = AvailabilityTotal(days: days.count)
        var bySite: [String: AvailabilityTotal] = [:]
        var byKind: [String: AvailabilityTotal] = [:]
        for d in devices where d.existed {
            fleet.add(d)
            bySite[d.site, default: AvailabilityTotal(days: days.count)].add(d)
            byKind[d.kind, default: AvailabilityTotal(days: days.count)].add(d)
        }
        var p1: [String: Int] = [:]
        var p2: [String: Int] = [:]
        for i in input.incidents where i.isProblem && days.index(of: i.openedAt) != nil {
            guard let site = i.site else { continue }
            if bySite[site] == nil { bySite[site] = AvailabilityTotal(days: days.count) }
            if i.priority == .p1 { p1[site, default: 0] += 1 } else { p2[site, default: 0] += 1 }
        }
        self.fleet = fleet
        let sites = bySite.keys.sorted().map {
            GroupFigures(id: $0, total: bySite[$0] ?? AvailabilityTotal(days: 0), p1: p1[$0] ?? 0, p2: p2[$0] ?? 0)
        }
        self.sites = sites
        kinds = byKind.keys.sorted().map { GroupFigures(id: $0, total: byKind[$0] ?? AvailabilityTotal(days: 0)) }

        let incidents = IncidentFigures(input.incidents, period: period, days: days, timeline: timeline)
        let sla = SLAFigures(input.incidents, events: input.events, period: period, timeline: timeline)
        self.sla = sla
        var children: [Int64: [Incident]] = [:]
        for row in rows { children[row.incident.id] = row.children }
        let handling = input.incidents
            .filter { $0.isProblem && days.index(of: $0.openedAt) != nil }
            .sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }
            .map { HandlingRecord($0, events: input.events[$0.id] ?? [], children: children[$0.id] ?? []) }
        self.handling = handling

        self.incidents = incidents
        let findings = Findings(
            input: input, devices: devices, sites: sites, incidents: incidents, sla: sla,
            handling: handling,
            phrases: ReportPhrases(
                input.language, localTime: localTime,
                siteNames: input.siteNames))
        let risks = findings.risks
        self.risks = risks
        recommendations = findings.recommendations(risks)
    }

    /// One timeline for every figure: the period, widened to the incidents' clocks that start
    /// before it or end after it (an acknowledgement next month still counts toward this
    /// month's MTTA in service time), within bounds so one ancient incident cannot make it huge.
    static func timeline(_ input: ReportInput, calendar: ServiceCalendar) -> ServiceTimeline {
        var lo = input.period.from
        var hi = input.period.to
        for i in input.incidents {
            lo = min(lo, i.dispatchedAt ?? i.openedAt, i.openedAt)
            for t in [i.acknowledgedAt, i.resolvedAt, i.arrivedAt, i.respondBy, i.onsiteBy] {
                if let t { hi = max(hi, t) }
            }
        }
        lo = max(lo, input.period.from - 62 * 86400)
        hi = min(hi, input.period.to + 400 * 86400)
        return ServiceTimeline(calendar, from: lo, to: hi)
    }

    /// The site's display name from the configuration, else its id.
    public func siteName(_ site: String) -> String { input.siteNames[site] ?? site }

    /// Devices with the most downtime (those with any), worst first.
    public func topByDowntime(_ n: Int) -> [DeviceFigures] {
        Array(
            devices.filter { $0.downtime > 0 }
                .sorted { ($1.downtime, $0.id) < ($0.downtime, $1.id) }.prefix(n))
    }

    /// Devices with the most problems of their own (those with any), most first.
    public func topByIncidents(_ n: Int) -> [DeviceFigures] {
        Array(
            devices.filter { $0.incidents > 0 }
                .sorted { ($1.incidents, $1.downtime, $0.id) < ($0.incidents, $0.downtime, $1.id) }.prefix(n))
    }

    /// The devices the report lists: those that existed in the period or had incidents in it.
    public var listedDevices: [DeviceFigures] { devices.filter { $0.existed || $0.incidents + $0.grouped > 0 } }

    /// True when there is nothing to report: no device existed in the period and nothing happened.
    public var isEmpty: Bool { fleet.devices == 0 && incidents.total == 0 && input.maintenance.isEmpty }
}
