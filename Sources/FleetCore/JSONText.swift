/// Minimal JSON writing for the alert log and the CLI: stable key order, no Foundation
/// round-trips, so output is byte-for-byte predictable.
public enum JSONText {
    /// A JSON string. Besides `"`, `\` and the C0 controls JSON requires escaped, every
    /// character `TextSafety` names (DEL, C1 controls, U+2028/9, bidi controls) is written as
    /// `\uXXXX`, so a line is safe to print to a terminal and to split on line separators.
    public static func quote(_ s: String) -> String {
        // Fast path: nothing to escape (the usual case) is one concatenation (Benchmarks: cli).
        if !TextSafety.mayNeedEscaping(s) { return "\"" + s + "\"" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where TextSafety.mustEscape(c): TextSafety.escape(c, into: &out)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON value already rendered.
    public enum Value: Sendable {
        case string(String)
        case int(Int64)
        case double(Double)
        case bool(Bool)
        case null
        case raw(String)

        public var rendered: String {
            switch self {
            case .string(let s): JSONText.quote(s)
            case .int(let i): String(i)
            case .double(let d): d.isFinite ? String(d) : "null"
            case .bool(let b): b ? "true" : "false"
            case .null: "null"
            case .raw(let r): r
            }
        }

        public static func optional(_ s: String?) -> Value { s.map { .string($0) } ?? .null }
    }

    public static func object(_ pairs: [(String, Value)]) -> String {
        var out = "{"
        out.reserveCapacity(320)
        for (i, pair) in pairs.enumerated() {
            if i > 0 { out += "," }
            out += quote(pair.0)
            out += ":"
            out += pair.1.rendered
        }
        out += "}"
        return out
    }

    public static func array(_ items: [String], pretty: Bool = false) -> String {
        if pretty && !items.isEmpty { return "[\n  " + items.joined(separator: ",\n  ") + "\n]" }
        return "[" + items.joined(separator: ",") + "]"
    }
}
