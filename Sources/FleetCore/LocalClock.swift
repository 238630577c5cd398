import Foundation

/// Local wall-clock arithmetic in one time zone, for calendars that name local days and times
/// (opening hours, recurring maintenance). Days are numbered from 1970-01-01 in local time; the
/// zone is asked only for its offset at an instant, so daylight-saving changes are handled by
/// construction: a local time that a switch skips maps to the first instant after the gap, and
/// one that a switch repeats maps to its first occurrence.
public struct LocalClock: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) { self.zone = zone }

    /// The local day number of an instant and how far into that day it is (seconds).
    public func localDay(of t: Double) -> (day: Int, second: Double) {
        let local = t + Double(offset(at: t))
        let day = Int((local / 86400).rounded(.down))
        return (day, local - Double(day) * 86400)
    }

    /// The instant at which the local clock shows `second` on local `day`; a second of 86400 or
    /// more runs into the following days (`24:00` is the next midnight).
    public func instant(day: Int, second: Int) -> Double {
        let naive = Double(day) * 86400 + Double(second)
        // Every offset in force within a day of the naive time: one transition at most.
        let offsets = Set([offset(at: naive - 86400), offset(at: naive), offset(at: naive + 86400)])
        var earliest: Double?
        for o in offsets {
            let t = naive - Double(o)
            if offset(at: t) == o { earliest = min(earliest ?? t, t) }
        }
        if let earliest { return earliest }
        // Skipped by a switch: the gap lies between the two readings; its end is the transition.
        let low = naive - Double(offsets.max() ?? 0)
        let high = naive - Double(offsets.min() ?? 0)
        if let transition = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: low - 1)),
            transition.timeIntervalSince1970 <= high
        {
            return transition.timeIntervalSince1970
        }
        return naive - Double(offset(at: naive))
    }

    private func offset(at t: Double) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: t)) }

    /// The weekday of a local day number (1970-01-01 was a Thursday).
    public static func weekday(ofDay day: Int) -> Weekday {
        let order: [Weekday] = [.thu, .fri, .sat, .sun, .mon, .tue, .wed]
        return order[((day % 7) + 7) % 7]
    }

    /// The day number of a civil date (H. Hinnant's days_from_civil).
    public static func day(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day number of a `YYYY-MM-DD` text, nil when it is not one.
    public static func day(of text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), d >= 1, d <= RFC3339.daysInMonth(y, m)
        else { return nil }
        return day(year: y, month: m, day: d)
    }
}
