import Foundation

/// One text alert line split back into its parts (SPEC §7):
/// `TIMESTAMP EVENT PRIORITY INCIDENT key=value…`, values with spaces quoted and escaped.
struct AlertLine: Equatable, CustomStringConvertible {
    let text: String
    let timestamp: String
    let event: String
    let priority: String
    let incident: String
    let fields: [String: String]

    /// Nil for a line that does not have the four fixed columns and `key=value` fields.
    init?(_ line: String) {
        text = line
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in line {
            if escaped {
                switch c {
                case "n": current.append("\n")
                case "r": current.append("\r")
                default: current.append(c)
                }
                escaped = false
            } else if quoted && c == "\\" {
                escaped = true
            } else if c == "\"" {
                quoted.toggle()
            } else if c == " " && !quoted {
                tokens.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        tokens.append(current)
        guard !quoted, tokens.count >= 4, tokens[3].hasPrefix("INC-") else { return nil }
        timestamp = tokens[0]
        event = tokens[1]
        priority = tokens[2]
        incident = tokens[3]
        var fields: [String: String] = [:]
        for token in tokens.dropFirst(4) {
            guard let eq = token.firstIndex(of: "="), eq != token.startIndex else { return nil }
            fields[String(token[..<eq])] = String(token[token.index(after: eq)...])
        }
        self.fields = fields
    }

    /// `EVENT PRIORITY rule=… [site=…] [kind=…] [device=…]`: what a test compares exactly.
    var summary: String {
        ([event, priority]
            + ["rule", "site", "kind", "device"].compactMap { key in fields[key].map { "\(key)=\($0)" } })
            .joined(separator: " ")
    }

    var description: String { text }
}
