import Foundation

/// The maintenance contract's service time: which local days and hours count toward an SLA
/// deadline. Pure arithmetic on Unix times; daylight-saving changes are handled by building each
/// range's boundaries from local wall-clock times through the zone.
public struct ServiceCalendar: Sendable {
    public let zone: TimeZone
    public let days: Set<Int>  // Gregorian weekday numbers, 1 = Sunday
    public let ranges: [ServiceRange]
    /// Local day numbers (`LocalClock`), as `OpeningCalendar` keeps its holidays: a day is
    /// checked without formatting a date (`String(format:)` for each day looked at was 4% of a
    /// 100,000-device restart's CPU, SLA warnings being scheduled for 10,000 open incidents).
    private let holidays: Set<Int>
    private let calendar: Calendar

    public init(_ settings: SLASettings) {
        self.init(
            zone: TimeZone(identifier: settings.timezone) ?? TimeZone(secondsFromGMT: 0)!,
            days: settings.serviceDays, ranges: settings.serviceHours, holidays: settings.holidays)
    }

    public init(zone: TimeZone, days: [Weekday], ranges: [ServiceRange], holidays: [String] = []) {
        self.zone = zone
        self.days = Set(days.map(\.gregorianNumber))
        self.ranges = ranges.sorted { $0.startMinute < $1.startMinute }
        self.holidays = Set(holidays.compactMap(LocalClock.day(of:)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The instant at which `seconds` of service time have passed since `start`. A deadline that
    /// lands exactly on the end of a range is that end (10:00 + 2 h = 12:00, not 13:00).
    /// Returns nil when the calendar has no service time at all (no days or no hours).
    public func adding(serviceSeconds seconds: Double, to start: Double) -> Double? {
        guard !days.isEmpty, !ranges.isEmpty else { return nil }
        var remaining = max(0, seconds)
        var day = calendar.startOfDay(for: Date(timeIntervalSince1970: start))
        // Ten years of days with no service time is a configuration that cannot meet any SLA.
        for _ in 0..<3660 {
            for (rangeStart, rangeEnd) in serviceIntervals(on: day) where rangeEnd > start {
                let from = max(rangeStart, start)
                let available = rangeEnd - from
                if remaining <= available { return from + remaining }
                remaining -= available
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    /// The earliest instant from which only `seconds` of service time are left until `end`: an
    /// SLA warning's moment. It lies in service time, or at the end of a range when exactly that
    /// much is left after a break (15 min before 13:15 with lunch 12:00-13:00 is 12:00, 30 min
    /// before 09:20 is 21:50 the evening before). nil when the calendar has no service time.
    public func subtracting(serviceSeconds seconds: Double, from end: Double) -> Double? {
        guard !days.isEmpty, !ranges.isEmpty else { return nil }
        var remaining = max(0, seconds)
        var day = calendar.startOfDay(for: Date(timeIntervalSince1970: end))
        for _ in 0..<3660 {
            for (rangeStart, rangeEnd) in serviceIntervals(on: day).reversed() where rangeStart < end {
                let to = min(rangeEnd, end)
                let available = to - rangeStart
                if remaining < available { return to - remaining }
                remaining -= available
            }
            guard let previous = calendar.date(byAdding: .day, value: -1, to: day) else { return nil }
            day = previous
        }
        return nil
    }

    /// Service time between two instants, in seconds (used for "time left" displays).
    public func serviceSeconds(from start: Double, to end: Double) -> Double {
        guard end > start else { return 0 }
        var total = 0.0
        var day = calendar.startOfDay(for: Date(timeIntervalSince1970: start))
        while day.timeIntervalSince1970 < end {
            for (a, b) in serviceIntervals(on: day) {
                let lo = max(a, start)
                let hi = min(b, end)
                if hi > lo { total += hi - lo }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return total
    }

    /// The absolute [start, end) intervals of service on the local day starting at `day`.
    func serviceIntervals(on day: Date) -> [(Double, Double)] {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
        guard let weekday = parts.weekday, days.contains(weekday) else { return [] }
        guard !holidays.contains(LocalClock.day(year: parts.year!, month: parts.month!, day: parts.day!)) else {
            return []
        }
        return ranges.compactMap { range in
            guard let a = localTime(parts, minute: range.startMinute),
                let b = localTime(parts, minute: range.endMinute), b > a
            else { return nil }
            return (a, b)
        }
    }

    /// The instant of a local wall-clock minute on the given date; 1440 is the next midnight.
    /// A time skipped by a DST switch maps to the first valid instant after it.
    private func localTime(_ date: DateComponents, minute: Int) -> Double? {
        var c = DateComponents()
        c.year = date.year
        c.month = date.month
        c.day = date.day
        c.hour = minute / 60
        c.minute = minute % 60
        if minute >= 1440 {
            c.hour = 0
            c.minute = 0
            guard let midnight = calendar.date(from: c),
                let next = calendar.date(byAdding: .day, value: 1, to: midnight)
            else { return nil }
            return next.timeIntervalSince1970
        }
        return calendar.date(from: c)?.timeIntervalSince1970
    }
}
