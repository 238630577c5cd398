/// One site's opening hours as instants: whether it is open at a moment, since when, and when
/// that next changes. Built from a `[schedules.NAME]` in `sla.timezone`; pure arithmetic on Unix
/// times through `LocalClock`, so daylight-saving switches and holidays fall out of the local
/// calendar. Ranges that touch, within a day or across midnight (`18:00-24:00` then
/// `00:00-02:00`), are one opening: nothing closes at the seam.
public struct OpeningCalendar: Sendable {
    /// Far enough to cross any run of holidays an operator writes; beyond it a change is "not known".
    static let horizonDays = 400

    public let clock: LocalClock
    private let openDays: Set<Weekday>
    private let ranges: [DailyRange]
    private let holidays: Set<Int>

    public init(_ schedule: ScheduleSettings, clock: LocalClock) {
        self.clock = clock
        openDays = Set(schedule.days)
        ranges = schedule.hours.sorted { $0.start < $1.start }
        holidays = Set(schedule.holidays.compactMap(LocalClock.day(of:)))
    }

    /// The calendar of a site's `schedule`, nil when the site has none (always open) or names a
    /// schedule that does not exist (the loader refuses that; a tolerant reader shows it open).
    public static func forSite(_ site: String, in configuration: Configuration, clock: LocalClock) -> OpeningCalendar? {
        guard let name = configuration.sites[site]?.schedule, let schedule = configuration.schedules[name] else {
            return nil
        }
        return OpeningCalendar(schedule, clock: clock)
    }

    /// Open or closed at a moment, since when, and until when; nil where the change lies beyond
    /// `horizonDays` (an always-open schedule has no next closing).
    public struct Phase: Sendable, Equatable {
        public var open: Bool
        public var since: Double?
        public var until: Double?
    }

    public func isOpen(at t: Double) -> Bool { phase(at: t).open }

    public func phase(at t: Double) -> Phase {
        let today = clock.localDay(of: t).day
        for day in [today - 1, today] {
            if let current = intervals(onDay: day).first(where: { $0.start <= t && t < $0.end }) {
                return Phase(
                    open: true, since: openingStart(current.start, day: day),
                    until: openingEnd(current.end, day: day))
            }
        }
        return Phase(open: false, since: lastEnd(atOrBefore: t, from: today), until: nextStart(after: t, from: today))
    }

    /// The open intervals of one local day, touching ranges merged; none on holidays and days
    /// the schedule does not list. A range a switch squeezes to nothing is left out.
    func intervals(onDay day: Int) -> [(start: Double, end: Double)] {
        guard openDays.contains(LocalClock.weekday(ofDay: day)), !holidays.contains(day) else { return [] }
        var out: [(start: Double, end: Double)] = []
        for range in ranges {
            let a = clock.instant(day: day, second: range.start)
            let b = clock.instant(day: day, second: range.end)
            guard b > a else { continue }
            if let last = out.last, a <= last.end {
                out[out.count - 1].end = max(last.end, b)
            } else {
                out.append((a, b))
            }
        }
        return out
    }

    /// Where an opening that contains an interval starting at `start` began: earlier days whose
    /// last interval runs up to it extend it back.
    private func openingStart(_ start: Double, day: Int) -> Double? {
        var start = start
        var day = day
        for _ in 0..<Self.horizonDays {
            guard let previous = intervals(onDay: day - 1).last, previous.end >= start else { return start }
            start = previous.start
            day -= 1
        }
        return nil
    }

    /// Where the opening that contains an interval ending at `end` closes.
    private func openingEnd(_ end: Double, day: Int) -> Double? {
        var end = end
        var day = day
        for _ in 0..<Self.horizonDays {
            guard let next = intervals(onDay: day + 1).first, next.start <= end else { return end }
            end = next.end
            day += 1
        }
        return nil
    }

    private func lastEnd(atOrBefore t: Double, from today: Int) -> Double? {
        for day in stride(from: today, to: today - Self.horizonDays, by: -1) {
            if let end = intervals(onDay: day).last(where: { $0.end <= t })?.end { return end }
        }
        return nil
    }

    private func nextStart(after t: Double, from today: Int) -> Double? {
        for day in today..<(today + Self.horizonDays) {
            if let start = intervals(onDay: day).first(where: { $0.start > t })?.start { return start }
        }
        return nil
    }
}
