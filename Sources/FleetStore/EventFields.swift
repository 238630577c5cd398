import FleetCore

/// Event fields are stored as one text column: pairs separated by U+001E, key and value by
/// U+001F (ASCII record/unit separators never occur in our keys or values).
enum EventFields {
    static func encode(_ fields: [AlertEvent.Field]) -> String {
        fields.map { "\($0.key)\u{1F}\($0.value)" }.joined(separator: "\u{1E}")
    }

    static func decode(_ text: String) -> [AlertEvent.Field] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            return AlertEvent.Field(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }
}
