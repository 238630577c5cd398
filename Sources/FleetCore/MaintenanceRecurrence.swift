/// When a recurring maintenance window recurs (`--every "DAYS HH:MM-HH:MM"`, SPEC §10): on the
/// listed local days (`daily` or `mon,tue,…`), from a local time to another, in `sla.timezone`.
/// A range whose end is not after its start runs past midnight into the next day
/// (`daily 21:00-09:00`); DAYS name the day an occurrence starts.
public struct MaintenanceRecurrence: Sendable, Equatable {
    public let days: Set<Weekday>
    /// Seconds after local midnight.
    public let start: Int
    public let end: Int
    /// The recurrence as stored and listed: lower case, single spaces (`sun 02:00-04:00`).
    public let text: String

    /// The recurrence `text` states, or why it does not state one.
    public static func parse(_ text: String) -> Result<MaintenanceRecurrence, RecurrenceError> {
        let words = text.lowercased().split(separator: " ")
        guard words.count == 2 else { return .failure(RecurrenceError("must be \"DAYS HH:MM-HH:MM\"")) }
        var days: [Weekday] = []
        if words[0] == "daily" {
            days = Weekday.allCases
        } else {
            for name in words[0].split(separator: ",", omittingEmptySubsequences: false) {
                guard let day = Weekday(rawValue: String(name)) else {
                    return .failure(
                        RecurrenceError(
                            "has \"\(name)\"; DAYS is daily or a comma list of mon, tue, wed, thu, fri, sat, sun"))
                }
                guard !days.contains(day) else { return .failure(RecurrenceError("lists \(name) twice")) }
                days.append(day)
            }
        }
        let times = words[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2, let start = TimeOfDayText.seconds(times[0]), let end = TimeOfDayText.seconds(times[1]),
            start < DailyRange.dayLength
        else {
            return .failure(
                RecurrenceError(
                    "has \"\(words[1])\"; use HH:MM-HH:MM (an end before the start runs past "
                        + "midnight)"))
        }
        guard start != end else { return .failure(RecurrenceError("has an empty range \"\(words[1])\"")) }
        let canonical =
            (words[0] == "daily" ? "daily" : days.map(\.rawValue).joined(separator: ","))
            + " \(TimeOfDayText.text(start))-\(TimeOfDayText.text(end))"
        return .success(MaintenanceRecurrence(days: Set(days), start: start, end: end, text: canonical))
    }

    /// The occurrence that starts on local `day`, if the recurrence has one that day and a
    /// daylight-saving switch does not squeeze it to nothing.
    func occurrence(onDay day: Int, clock: LocalClock) -> (start: Double, end: Double)? {
        guard days.contains(LocalClock.weekday(ofDay: day)) else { return nil }
        let a = clock.instant(day: day, second: start)
        let b = clock.instant(day: end > start ? day : day + 1, second: end)
        return b > a ? (a, b) : nil
    }

    /// Whether an occurrence covers `t` (one that started that day or the day before).
    public func covers(_ t: Double, clock: LocalClock) -> Bool {
        let today = clock.localDay(of: t).day
        return [today - 1, today].contains { day in
            occurrence(onDay: day, clock: clock).map { $0.start <= t && t < $0.end } ?? false
        }
    }

    /// The first occurrence that has not ended at `t`: the one running now, or the next.
    public func current(orNextAfter t: Double, clock: LocalClock) -> (start: Double, end: Double)? {
        let today = clock.localDay(of: t).day
        for day in (today - 1)...(today + 8) {
            if let o = occurrence(onDay: day, clock: clock), o.end > t { return o }
        }
        return nil
    }
}

/// Why a `--every` text is not a recurrence.
public struct RecurrenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
