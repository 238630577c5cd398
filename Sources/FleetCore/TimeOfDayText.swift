/// Local times of day as the configuration and the CLI write them: `HH:MM` or `HH:MM:SS`, up to
/// `24:00` (the next midnight), exactly two digits each (`9:00` and `+9:00` are not times).
public enum TimeOfDayText {
    /// Seconds after midnight, 0 … 86400.
    public static func seconds<S: StringProtocol>(_ text: S) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, numbers[0] <= 24, numbers[1] < 60 else { return nil }
        let second = numbers.count == 3 ? numbers[2] : 0
        guard second < 60 else { return nil }
        let total = numbers[0] * 3600 + numbers[1] * 60 + second
        return total <= DailyRange.dayLength ? total : nil
    }

    /// `09:00`, or `09:00:30` when the seconds are not zero.
    public static func text(_ seconds: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let base = "\(two(seconds / 3600)):\(two(seconds % 3600 / 60))"
        return seconds % 60 == 0 ? base : base + ":" + two(seconds % 60)
    }

    /// `09:00-21:00`.
    public static func text(_ range: DailyRange) -> String { "\(text(range.start))-\(text(range.end))" }
}
