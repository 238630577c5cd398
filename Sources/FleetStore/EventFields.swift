import FleetCore

/// Event fields are stored as one text column: pairs separated by U+001E, key and value by
/// U+001F (ASCII record/unit separators never occur in our keys or values).
enum EventFields {
    static func encode(_ fields: [AlertEvent.Field]) -> String {
        fields.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
    }

    /// Split on the UTF-8 bytes, not on Characters: the inspection report decodes every event of
    /// a month (Benchmarks: report), and grapheme-by-grapheme splitting was an eighth of it.
    static func decode(_ text: String) -> [AlertEvent.Field] {
        guard !text.isEmpty else { return [] }
        return text.utf8.split(separator: 0x1E, omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: 0x1F, maxSplits: 1, omittingEmptySubsequences: false)
            return AlertEvent.Field(String(decoding: parts[0], as: UTF8.self),
                                    parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : "")
        }
    }
}
