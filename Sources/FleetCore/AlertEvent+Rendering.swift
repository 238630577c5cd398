extension AlertEvent {
    /// `2026-11-26T21:30:04.120+08:00 OPEN P2 INC-000123 rule=offline … msg="…"` (SPEC §7).
    public func textLine(_ format: TimeFormat) -> String {
        var line =
            "\(format.format(time, milliseconds: true)) \(kind.rawValue) \(priority.rawValue) \(Incident.label(incidentID))"
        for field in fields {
            line += " \(field.key)=\(Self.quoteIfNeeded(field.value))"
        }
        return line
    }

    /// The same event as one JSON object: `ts`, `event`, `priority`, `incident`, then the fields.
    public func jsonLine(_ format: TimeFormat) -> String {
        var pairs: [(String, JSONText.Value)] = [
            ("ts", .string(format.format(time, milliseconds: true))),
            ("event", .string(kind.rawValue)),
            ("priority", .string(priority.rawValue)),
            ("incident", .string(Incident.label(incidentID))),
        ]
        for field in fields { pairs.append((field.key, .string(field.value))) }
        return JSONText.object(pairs)
    }

    /// Values with spaces, quotes, `=` or nothing at all are quoted; quotes and backslashes escaped
    /// so a line always splits back into the same fields. Every character `TextSafety` names
    /// (controls, NUL, line separators, bidi controls) is quoted and written as `\n`, `\r`, `\t`
    /// or `\uXXXX`: a value can neither end the line nor paint over it on a terminal.
    static func quoteIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || TextSafety.mustEscape($0)
            }
        guard needsQuotes else { return value }
        var out = "\""
        for c in value.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where TextSafety.mustEscape(c): TextSafety.escape(c, into: &out)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
