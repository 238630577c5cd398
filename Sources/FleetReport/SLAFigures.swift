import FleetCore

/// One clock's deadlines in the period.
public struct SLACount: Sendable, Equatable {
    public internal(set) var met = 0
    public internal(set) var breached = 0
    /// Neither breached nor met yet (the deadline fell in a period that has not ended).
    public internal(set) var pending = 0

    /// met / (met + breached); nil when both are 0 (SPEC §13).
    public var compliance: Double? { met + breached > 0 ? Double(met) / Double(met + breached) : nil }
}

/// A deadline met with less than a quarter of its window left: the next one may not be.
public struct NearMiss: Sendable {
    public let incident: Incident
    public let clock: SLAClock
    /// Time left when the duty was done, in the clock's own time (service or wall).
    public let left: Double
    public let window: Double
}

/// SLA compliance (SPEC §13): each problem whose deadline falls in the period counts `breached`
/// if it has an SLA-BREACH event for that clock, else `met` if its duty was done by then.
public struct SLAFigures: Sendable {
    public internal(set) var counts: [SLAClock: SLACount] = [:]
    /// The breached incidents per clock (evidence for the recommendations).
    public internal(set) var breached: [SLAClock: [Incident]] = [:]
    public internal(set) var nearMisses: [NearMiss] = []

    static let nearMissShare = 0.25

    init(_ incidents: [Incident], events: [Int64: [AlertEvent]], period: ReportPeriod, timeline: ServiceTimeline) {
        for clock in SLAClock.allCases { counts[clock] = SLACount() }
        for incident in incidents where incident.isProblem {
            let list = events[incident.id] ?? []
            for clock in SLAClock.allCases {
                guard let due = SLAOutcome.deadline(clock, incident, events: list), due >= period.from, due < period.to,
                    let outcome = SLAOutcome.of(clock, incident, events: list)
                else { continue }
                switch outcome {
                case .met:
                    counts[clock]?.met += 1
                    if let miss = Self.nearMiss(clock, incident, due: due, list, timeline) { nearMisses.append(miss) }
                case .breached:
                    counts[clock]?.breached += 1
                    breached[clock, default: []].append(incident)
                case .pending: counts[clock]?.pending += 1
                }
            }
        }
    }

    private static func nearMiss(
        _ clock: SLAClock, _ i: Incident, due: Double, _ events: [AlertEvent],
        _ timeline: ServiceTimeline
    ) -> NearMiss? {
        guard let start = clock.start(i), let done = clock.done(i, events: events) else { return nil }
        let service = clock.inServiceTime(i)
        let window = service ? timeline.seconds(from: start, to: due) : due - start
        let left = service ? timeline.seconds(from: done, to: due) : due - done
        guard window > 0, left < window * nearMissShare else { return nil }
        return NearMiss(incident: i, clock: clock, left: left, window: window)
    }
}
