/// PostgreSQL's text form of a one-dimensional array (`{a,"b c",NULL}`), so that a batch of rows
/// goes to the server as one parameter per column and one statement (`unnest($1::text[], …)`)
/// instead of one round trip per row.
public enum PostgresArray {
    /// Every element is double-quoted (a quoted `NULL` is the text NULL, not SQL NULL), with `"`
    /// and `\` escaped by a backslash; nil is SQL NULL.
    public static func literal(_ elements: [String?]) -> String {
        var out = "{"
        out.reserveCapacity(elements.count * 12 + 2)
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            guard let element else {
                out += "NULL"
                continue
            }
            out += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { out += "\\" }
                out.unicodeScalars.append(character)
            }
            out += "\""
        }
        return out + "}"
    }

    /// Numbers need no quotes; nil is SQL NULL.
    public static func literal(_ elements: [Int64?]) -> String {
        "{" + elements.map { $0.map(String.init) ?? "NULL" }.joined(separator: ",") + "}"
    }

    public static func literal(_ elements: [Double?]) -> String {
        "{" + elements.map { $0.flatMap { PostgresValue.real($0).wireText } ?? "NULL" }.joined(separator: ",") + "}"
    }
}
