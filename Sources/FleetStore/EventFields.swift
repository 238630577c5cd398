import FleetCore

/// Event fields are stored as one text column: pairs separated by U+001E, key and value by
/// U+001F (ASCII record/unit separators).
///
/// Keys are ours, but values are not (an operator's note, a device's error code can hold any
/// character): a value's own U+001E or U+001F would split it into forged fields when read back.
/// So both are written escaped, with the private-use U+E000 as the escape character (U+E000
/// U+E001 is U+001E, U+E000 U+E002 is U+001F, U+E000 U+E000 is U+E000 itself). Values stored
/// before this never hold either separator, so they read back unchanged.
enum EventFields {
    private static let escape: Unicode.Scalar = "\u{E000}"

    static func encode(_ fields: [AlertEvent.Field]) -> String {
        fields.map { "\(escaped($0.key))\u{1F}\(escaped($0.value))" }.joined(separator: "\u{1E}")
    }

    /// Split on the UTF-8 bytes, not on Characters: the inspection report decodes every event of
    /// a month (Benchmarks: report), and grapheme-by-grapheme splitting was an eighth of it.
    static func decode(_ text: String) -> [AlertEvent.Field] {
        guard !text.isEmpty else { return [] }
        return text.utf8.split(separator: 0x1E, omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: 0x1F, maxSplits: 1, omittingEmptySubsequences: false)
            return AlertEvent.Field(
                unescaped(String(decoding: parts[0], as: UTF8.self)),
                parts.count > 1 ? unescaped(String(decoding: parts[1], as: UTF8.self)) : "")
        }
    }

    private static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\u{1E}" || $0 == "\u{1F}" || $0 == escape }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{1E}": out.append(contentsOf: [escape, "\u{E001}"])
            case "\u{1F}": out.append(contentsOf: [escape, "\u{E002}"])
            case escape: out.append(contentsOf: [escape, escape])
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    private static func unescaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(escape) else { return text }
        var out = String.UnicodeScalarView()
        var pendingEscape = false
        for scalar in text.unicodeScalars {
            if pendingEscape {
                switch scalar {
                case "\u{E001}": out.append("\u{1E}")
                case "\u{E002}": out.append("\u{1F}")
                default: out.append(scalar)
                }
                pendingEscape = false
            } else if scalar == escape {
                pendingEscape = true
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
