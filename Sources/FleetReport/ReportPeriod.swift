import FleetCore
import Foundation

/// The span a report covers, [from, to), in wall-clock Unix seconds.
public struct ReportPeriod: Sendable, Equatable {
    public let from: Double
    public let to: Double
    /// `2026-11` when the period is one calendar month (titles, file names); nil otherwise.
    public let month: String?

    public init(from: Double, to: Double, month: String? = nil) {
        self.from = from
        self.to = to
        self.month = month
    }

    /// `YYYY-MM` → that month in `zone`, from its first local midnight to the next month's.
    public static func month(_ text: String, zone: TimeZone) -> ReportPeriod? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), year >= 1970,
            let start = localMidnight(year: year, month: month, day: 1, zone: zone),
            let end = localMidnight(
                year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1,
                zone: zone)
        else { return nil }
        return ReportPeriod(from: start, to: end, month: text)
    }

    /// The last calendar month that ended at or before `now`, in `zone`: the default period.
    public static func lastFullMonth(before now: Double, zone: TimeZone) -> ReportPeriod {
        let parts = Calendar.inZone(zone).dateComponents([.year, .month], from: Date(timeIntervalSince1970: now))
        let year = parts.year ?? 1970
        let month = parts.month ?? 1
        let text = month == 1 ? String(format: "%04d-12", year - 1) : String(format: "%04d-%02d", year, month - 1)
        return Self.month(text, zone: zone) ?? ReportPeriod(from: now - 30 * 86400, to: now)
    }

    /// `YYYY-MM-DD` → the local midnight that starts that day in `zone`.
    public static func localMidnight(_ text: String, zone: TimeZone) -> Double? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= RFC3339.daysInMonth(year, month)
        else { return nil }
        return localMidnight(year: year, month: month, day: day, zone: zone)
    }

    static func localMidnight(year: Int, month: Int, day: Int, zone: TimeZone) -> Double? {
        var c = DateComponents()
        c.year = year
        c.month = month
        c.day = day
        return Calendar.inZone(zone).date(from: c).map {
            Calendar.inZone(zone).startOfDay(for: $0).timeIntervalSince1970
        }
    }
}

extension Calendar {
    static func inZone(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
