import Foundation

extension ServiceCalendar {
    /// The service time between two instants as absolute [start, end) intervals, in order, cut to
    /// the span: what the inspection report sums its figures over (one interval per service range
    /// and day, so a month is about sixty).
    public func serviceIntervals(from start: Double, to end: Double) -> [(start: Double, end: Double)] {
        guard end > start, !days.isEmpty, !ranges.isEmpty else { return [] }
        var out: [(start: Double, end: Double)] = []
        let calendar = Calendar.gregorian(in: zone)
        var day = calendar.startOfDay(for: Date(timeIntervalSince1970: start))
        while day.timeIntervalSince1970 < end {
            for (a, b) in serviceIntervals(on: day) {
                let lo = max(a, start)
                let hi = min(b, end)
                if hi > lo { out.append((lo, hi)) }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return out
    }
}

extension Calendar {
    static func gregorian(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
