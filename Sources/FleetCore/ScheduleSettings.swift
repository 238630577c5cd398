/// A site's weekly opening hours, `[schedules.NAME]` (SPEC §10), in `sla.timezone`: the days it
/// opens, the ranges it is open on those days, and local dates it stays closed all day.
public struct ScheduleSettings: Sendable, Equatable {
    public var days: [Weekday] = Weekday.allCases
    /// Sorted, without overlaps; touching ranges (`09:00-12:00`, `12:00-21:00`) are one opening.
    public var hours: [DailyRange] = [DailyRange(start: 0, end: DailyRange.dayLength)]
    /// Local dates (`YYYY-MM-DD`) closed all day.
    public var holidays: [String] = []

    public init(
        days: [Weekday] = Weekday.allCases,
        hours: [DailyRange] = [DailyRange(start: 0, end: DailyRange.dayLength)], holidays: [String] = []
    ) {
        self.days = days
        self.hours = hours
        self.holidays = holidays
    }
}

/// One daily range of local time in seconds after midnight: `start < end`, `end` up to 86400
/// (`24:00`, the next midnight).
public struct DailyRange: Sendable, Equatable {
    public static let dayLength = 86_400

    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// What a kind does outside its site's opening hours (`[kinds.NAME] off_hours`).
public enum OffHours: String, Sendable, Equatable, CaseIterable {
    /// Watched around the clock, whatever the site's hours.
    case monitor
    /// May go silent while its site is closed: `sleeping`, not `offline`.
    case sleep
}
