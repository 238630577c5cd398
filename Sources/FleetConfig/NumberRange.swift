/// The values a numeric key accepts: a lower bound (inclusive or not) and an upper bound that is
/// always there. Every number in the file has a maximum, so a typo like `1e300` is a named
/// problem instead of a silently disabled clock (`respond_within_s = 1e300` had no deadline).
struct NumberRange: Sendable {
    let min: Double
    /// `> min` rather than `>= min`: a zero duration that would mean "at once" where that is
    /// never what an operator wants.
    let minExclusive: Bool
    let max: Double
    /// How a symmetric range is written (`±1e15`) where its digits would not be read.
    let symmetricText: String?

    /// `min ... max`.
    init(_ min: Double, _ max: Double) {
        self.min = min
        self.minExclusive = false
        self.max = max
        self.symmetricText = nil
    }

    /// `-limit ... limit`, written as `text` (`±1e15`).
    init(within limit: Double, written text: String) {
        self.min = -limit
        self.minExclusive = false
        self.max = limit
        self.symmetricText = text
    }

    /// `(min, max]`.
    init(above min: Double, upTo max: Double) {
        self.min = min
        self.minExclusive = true
        self.max = max
        self.symmetricText = nil
    }

    func contains(_ value: Double) -> Bool {
        value.isFinite && (minExclusive ? value > min : value >= min) && value <= max
    }

    /// The rule as problems state it: `must be 1-65535`, `must be > 0 and <= 1`.
    var rule: String {
        if let symmetricText { return "must be within \(symmetricText)" }
        let lo = TableReader.show(min)
        let hi = TableReader.show(max)
        if minExclusive { return "must be > \(lo) and <= \(hi)" }
        if min < 0 { return "must be between \(lo) and \(hi)" }
        return "must be \(lo)-\(hi)"
    }

    /// The range as the reference shows it, with the maximum in days or hours for durations.
    func reference(seconds: Bool) -> String {
        if let symmetricText { return symmetricText }
        let lo = TableReader.show(min)
        let hi = TableReader.show(max)
        let text = minExclusive ? "> \(lo), ≤ \(hi)" : "\(lo) – \(hi)"
        guard seconds, let readable = Self.readableDuration(max) else { return text }
        return "\(text) (\(readable))"
    }

    /// `86400` → `1 day`, `3600` → `1 h`; nil when it is not a whole number of those.
    static func readableDuration(_ seconds: Double) -> String? {
        let units: [(Double, String, String)] = [(86400, "day", "days"), (3600, "h", "h"), (60, "min", "min")]
        for (size, one, many) in units where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            let n = Int(seconds / size)
            return "\(n) \(n == 1 ? one : many)"
        }
        return nil
    }
}
