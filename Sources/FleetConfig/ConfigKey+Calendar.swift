import FleetCore
import Foundation

/// Calendar keys: the `[sla]` service calendar uses them, and so can any later weekly calendar.
extension ConfigKey {
    /// An IANA time zone name.
    static func timeZone(_ name: String, _ path: WritableKeyPath<Root, String>, _ meaning: String) -> ConfigKey {
        text(
            name, path, meaning,
            rule: TextRule(reference: "IANA zone name, e.g. `Europe/Berlin`") {
                TimeZone(identifier: $0) == nil
                    ? "must be an IANA time zone name like Asia/Shanghai (got \"\($0)\")" : nil
            })
    }

    /// Days of the week, each at most once, at least one; `whyNotEmpty` ends the problem an
    /// empty list gets.
    static func weekdays(
        _ name: String, _ path: WritableKeyPath<Root, [Weekday]>, _ meaning: String,
        whyNotEmpty: String = "no service time means no SLA deadline"
    ) -> ConfigKey {
        custom(
            name, type: "array of strings", range: "`mon` … `sun`, each once, at least one", meaning,
            renderDefault: { quote($0[keyPath: path].map(\.rawValue)) }
        ) { r, root in
            guard case .found(let days) = r.stringArray(name) else { return }
            var parsed: [Weekday] = []
            for day in days {
                guard let w = Weekday(rawValue: day.lowercased()) else {
                    r.problem(name, "has \"\(day)\"; use mon, tue, wed, thu, fri, sat, sun")
                    continue
                }
                if parsed.contains(w) { r.problem(name, "lists \"\(day)\" twice") }
                parsed.append(w)
            }
            root[keyPath: path] = parsed
            if days.isEmpty { r.problem(name, "must list at least one day (\(whyNotEmpty))") }
        }
    }

    /// Daily time ranges, sorted on reading, without overlaps, at least one.
    static func dailyRanges(
        _ name: String, _ path: WritableKeyPath<Root, [ServiceRange]>,
        _ meaning: String
    ) -> ConfigKey {
        custom(
            name, type: "array of strings", range: "`HH:MM-HH:MM`, end up to `24:00`, no overlaps, at least one",
            meaning, renderDefault: { quote($0[keyPath: path].map(CalendarText.text)) }
        ) { r, root in
            guard case .found(let hours) = r.stringArray(name) else { return }
            var ranges: [ServiceRange] = []
            for text in hours {
                guard let range = CalendarText.range(text) else {
                    r.problem(name, "has \"\(text)\"; use HH:MM-HH:MM with start before end, end up to 24:00")
                    continue
                }
                ranges.append(range)
            }
            ranges.sort { $0.startMinute < $1.startMinute }
            for (a, b) in zip(ranges, ranges.dropFirst()) where b.startMinute < a.endMinute {
                r.problem(name, "has overlapping ranges")
            }
            root[keyPath: path] = ranges
            if hours.isEmpty { r.problem(name, "must list at least one range (no service time means no SLA deadline)") }
        }
    }

    /// Local dates (`YYYY-MM-DD`).
    static func localDates(_ name: String, _ path: WritableKeyPath<Root, [String]>, _ meaning: String) -> ConfigKey {
        custom(
            name, type: "array of strings", range: "`YYYY-MM-DD`", meaning,
            renderDefault: { quote($0[keyPath: path]) }
        ) { r, root in
            guard case .found(let dates) = r.stringArray(name) else { return }
            for day in dates where !CalendarText.isLocalDate(day) {
                r.problem(name, "has \"\(day)\"; use YYYY-MM-DD")
            }
            root[keyPath: path] = dates
        }
    }
}
