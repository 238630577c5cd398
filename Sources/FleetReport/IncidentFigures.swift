import FleetCore

/// Counting incidents as problems, the way `fleetwatch incidents` shows one row per problem: an
/// incident that an outage took in (a child, `parent` set) is part of that outage's problem and
/// is counted there, not again on its own. An outage with 40 child incidents is one problem, with
/// one MTTA, one MTTR and one set of SLA deadlines; its children are listed as the devices it hit.
///
/// A quiet blip — resolved before its OPEN line fell due, so never announced (SPEC §5) — is not a
/// fault either: nobody was asked to act on it, and counting it would lift SLA compliance with
/// problems no one saw. Its downtime still counts in availability (that comes from the state
/// history), and the report says how many there were.
extension Incident {
    /// Unannounced because it cleared during its wait — not because an outage took it in (a child
    /// whose outage is outside the report stands alone here, but was grouped: `groupedAt` says so).
    var isQuietBlip: Bool { !announced && status == .resolved && parent == nil && groupedAt == nil }
    var isProblem: Bool { parent == nil && !isQuietBlip }
}

/// The period's problems: how many, of which priority and rule, how fast they were answered and
/// resolved, and how many per day.
public struct IncidentFigures: Sendable {
    /// Problems opened in the period.
    public internal(set) var total = 0
    public internal(set) var byPriority: [Priority: Int] = [:]
    public internal(set) var byRule: [String: Int] = [:]
    /// Incidents opened in the period that an outage took in (not in `total`).
    public internal(set) var grouped = 0
    /// Quiet blips opened in the period: over before anyone was told (not in `total`).
    public internal(set) var quietBlips = 0
    public internal(set) var acknowledged = 0
    public internal(set) var resolved = 0
    /// Mean acknowledged − opened and resolved − opened, wall-clock seconds (SPEC §13).
    public internal(set) var mtta: Double?
    public internal(set) var mttr: Double?
    /// The same means in service time: what the contract's clocks count.
    public internal(set) var mttaService: Double?
    public internal(set) var mttrService: Double?
    /// Problems opened before the period and still unresolved at its start.
    public internal(set) var carriedOver = 0
    /// Problems opened before the period's end and not resolved by it.
    public internal(set) var openAtEnd = 0
    /// Problems opened per day, by priority.
    public internal(set) var dailyP1: [Int]
    public internal(set) var dailyP2: [Int]

    init(_ incidents: [Incident], period: ReportPeriod, days: ReportDays, timeline: ServiceTimeline) {
        dailyP1 = Array(repeating: 0, count: days.count)
        dailyP2 = Array(repeating: 0, count: days.count)
        var ackWall = 0.0
        var ackService = 0.0
        var resolveWall = 0.0
        var resolveService = 0.0
        for incident in incidents where incident.isProblem {
            if incident.openedAt < period.from {
                if incident.resolvedAt.map({ $0 >= period.from }) ?? true { carriedOver += 1 }
            }
            if incident.resolvedAt.map({ $0 >= period.to }) ?? true { openAtEnd += 1 }
            guard let day = days.index(of: incident.openedAt) else { continue }
            total += 1
            byPriority[incident.priority, default: 0] += 1
            byRule[incident.rule.rawValue, default: 0] += 1
            if incident.priority == .p1 { dailyP1[day] += 1 } else { dailyP2[day] += 1 }
            if let at = incident.acknowledgedAt {
                acknowledged += 1
                ackWall += at - incident.openedAt
                ackService += timeline.seconds(from: incident.openedAt, to: at)
            }
            if let at = incident.resolvedAt {
                resolved += 1
                resolveWall += at - incident.openedAt
                resolveService += timeline.seconds(from: incident.openedAt, to: at)
            }
        }
        for incident in incidents where !incident.isProblem && days.index(of: incident.openedAt) != nil {
            if incident.isQuietBlip { quietBlips += 1 } else { grouped += 1 }
        }
        if acknowledged > 0 {
            mtta = ackWall / Double(acknowledged)
            mttaService = ackService / Double(acknowledged)
        }
        if resolved > 0 {
            mttr = resolveWall / Double(resolved)
            mttrService = resolveService / Double(resolved)
        }
    }
}
