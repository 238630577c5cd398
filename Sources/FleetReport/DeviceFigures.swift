import FleetCore

/// How a stored state counts in SPEC §13: `offline` is downtime, `maintenance` and `sleeping` are
/// not eligible, every other state (online, degraded, unknown, and any a newer build adds) is
/// eligible time the device was not down.
enum StateClass {
    case up, down, maintenance, sleeping

    init(_ state: String) {
        switch state {
        case DeviceState.offline.rawValue: self = .down
        case DeviceState.maintenance.rawValue: self = .maintenance
        case DeviceState.sleeping.rawValue: self = .sleeping
        default: self = .up
        }
    }
}

/// One device's figures for the period; times are service seconds.
public struct DeviceFigures: Sendable {
    public let id: String
    public let site: String
    public let kind: String
    public let name: String?
    public let firmware: String?
    /// The device had a state at some moment of the period (it existed, and history covered it).
    public internal(set) var existed = false
    public internal(set) var eligible = 0.0
    public internal(set) var downtime = 0.0
    public internal(set) var maintenance = 0.0
    public internal(set) var sleeping = 0.0
    /// Its own incidents opened in the period (problems: not folded into an outage).
    public internal(set) var incidents = 0
    /// Its incidents opened in the period that an outage took in (counted under the outage).
    public internal(set) var grouped = 0
    public internal(set) var reboots: Int?
    /// Downtime and eligible time per day of the period.
    public internal(set) var dailyDowntime: [Double]
    public internal(set) var dailyEligible: [Double]

    init(_ record: DeviceRecord, days: Int) {
        id = record.id
        site = record.site
        kind = record.kind
        name = record.name
        firmware = record.firmware
        dailyDowntime = Array(repeating: 0, count: days)
        dailyEligible = Array(repeating: 0, count: days)
    }

    /// 1 − downtime / eligible; nil when the device had no eligible time.
    public var availability: Double? { eligible > 0 ? 1 - downtime / eligible : nil }

    /// Walks the device's states through the period: `start` is its state at the period's start
    /// (nil: it did not exist yet), `changes` what happened after. Each stretch adds its service
    /// time to the class of its state, day by day.
    mutating func measure(start: String?, changes: [DeviceStateChange], timeline: ServiceTimeline, days: ReportDays) {
        var state = start
        var since = days.bounds[0]
        let end = days.bounds[days.count]
        for change in changes where change.time > since && change.time < end {
            if let state { add(StateClass(state), from: since, to: change.time, timeline, days) }
            state = change.state
            since = change.time
        }
        if let state { add(StateClass(state), from: since, to: end, timeline, days) }
    }

    private mutating func add(
        _ kind: StateClass, from a: Double, to b: Double, _ timeline: ServiceTimeline,
        _ days: ReportDays
    ) {
        guard b > a, var day = days.index(of: a) else { return }
        existed = true
        var start = a
        while start < b, day < days.count {
            let stop = min(b, days.bounds[day + 1])
            let seconds = timeline.seconds(from: start, to: stop)
            switch kind {
            case .up:
                eligible += seconds
                dailyEligible[day] += seconds
            case .down:
                eligible += seconds
                downtime += seconds
                dailyEligible[day] += seconds
                dailyDowntime[day] += seconds
            case .maintenance: maintenance += seconds
            case .sleeping: sleeping += seconds
            }
            start = stop
            day += 1
        }
    }

    mutating func count(_ incident: Incident) {
        if incident.isProblem { incidents += 1 } else if !incident.isQuietBlip { grouped += 1 }
    }

    mutating func setReboots(_ n: Int?) { reboots = n }
}

/// Σ over a group of devices (a site, a kind, the fleet): availability = 1 − Σ downtime / Σ eligible.
public struct AvailabilityTotal: Sendable {
    public internal(set) var devices = 0
    public internal(set) var eligible = 0.0
    public internal(set) var downtime = 0.0
    public internal(set) var maintenance = 0.0
    public internal(set) var sleeping = 0.0
    public internal(set) var dailyDowntime: [Double]
    public internal(set) var dailyEligible: [Double]

    init(days: Int) {
        dailyDowntime = Array(repeating: 0, count: days)
        dailyEligible = Array(repeating: 0, count: days)
    }

    public var availability: Double? { eligible > 0 ? 1 - downtime / eligible : nil }

    /// Each day's availability; nil on a day without eligible time.
    public var dailyAvailability: [Double?] {
        zip(dailyDowntime, dailyEligible).map { down, eligible in eligible > 0 ? 1 - down / eligible : nil }
    }

    mutating func add(_ d: DeviceFigures) {
        guard d.existed else { return }
        devices += 1
        eligible += d.eligible
        downtime += d.downtime
        maintenance += d.maintenance
        sleeping += d.sleeping
        for i in dailyDowntime.indices {
            dailyDowntime[i] += d.dailyDowntime[i]
            dailyEligible[i] += d.dailyEligible[i]
        }
    }
}

/// A site's or a kind's figures: its devices' Σ, and (sites) the problems opened there.
public struct GroupFigures: Sendable {
    public let id: String
    public let total: AvailabilityTotal
    public var p1 = 0
    public var p2 = 0
}
