import FleetCore

/// The opening hours of a `[schedules.NAME]`: ranges with seconds allowed, each a range that
/// ends on its own day (up to `24:00`), named one by one when they are malformed or overlap.
extension ConfigKey {
    static func openingHours(
        _ name: String, _ path: WritableKeyPath<Root, [DailyRange]>,
        _ meaning: String
    ) -> ConfigKey {
        custom(
            name, type: "array of strings",
            range: "`HH:MM-HH:MM` or `HH:MM:SS-HH:MM:SS`, start before end, end up to `24:00`, no overlaps, "
                + "at least one",
            meaning, renderDefault: { quote($0[keyPath: path].map(TimeOfDayText.text)) }
        ) { r, root in
            guard case .found(let texts) = r.stringArray(name) else { return }
            var ranges: [(DailyRange, String)] = []
            for text in texts {
                switch openingRange(text) {
                case .success(let range): ranges.append((range, text))
                case .failure(let reason): r.problem(name, reason.description)
                }
            }
            ranges.sort { $0.0.start < $1.0.start }
            for (a, b) in zip(ranges, ranges.dropFirst()) where b.0.start < a.0.end {
                r.problem(name, "has overlapping ranges \"\(a.1)\" and \"\(b.1)\"")
            }
            root[keyPath: path] = ranges.map(\.0)
            if texts.isEmpty {
                r.problem(name, "must list at least one range (a schedule that is never open keeps its sites closed)")
            }
        }
    }

    /// One range, or the sentence saying what is wrong with it.
    static func openingRange(_ text: String) -> Result<DailyRange, RecurrenceError> {
        let usage = "use HH:MM-HH:MM or HH:MM:SS-HH:MM:SS, end up to 24:00"
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = TimeOfDayText.seconds(parts[0]), let end = TimeOfDayText.seconds(parts[1])
        else { return .failure(RecurrenceError("has \"\(text)\"; \(usage)")) }
        if start == end { return .failure(RecurrenceError("has \"\(text)\", an empty range")) }
        if start > end {
            let split =
                end == 0
                ? "\"\(parts[0])-24:00\""
                : "\"\(parts[0])-24:00\" and \"00:00-\(parts[1])\""
            return .failure(
                RecurrenceError(
                    "has \"\(text)\", which ends before it starts; a range ends on its own day "
                        + "(up to 24:00): write \(split)"))
        }
        return .success(DailyRange(start: start, end: end))
    }
}
