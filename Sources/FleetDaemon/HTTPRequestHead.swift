/// A request line and its header fields, as `HTTPRequestReader` parsed them. Only what the
/// read-only endpoints look at is kept: method, path, query, and the header fields by name.
struct HTTPRequestHead: Sendable, Equatable {
    var method: String
    /// The path, percent-decoded: `/api/v1/incidents/INC-000001`.
    var path: String
    /// The query's `name=value` pairs in order, percent-decoded (`+` is a space).
    var query: [QueryItem]
    /// `HTTP/1.0` or `HTTP/1.1`.
    var version: String
    /// Field names in lower case, values trimmed, in the order they came.
    var fields: [(name: String, value: String)]

    struct QueryItem: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// The first field of that (lower-case) name.
    func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    static func == (a: HTTPRequestHead, b: HTTPRequestHead) -> Bool {
        a.method == b.method && a.path == b.path && a.query == b.query && a.version == b.version
            && a.fields.elementsEqual(b.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

extension HTTPRequestHead {
    /// Percent-decoding of a path or a query part; nil for a malformed escape or bytes that are
    /// not UTF-8 once decoded.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `/a/b?x=1&y=2` → path and query; nil when the target is not origin-form (`/…`) or has a
    /// malformed escape.
    static func splitTarget(_ target: Substring) -> (path: String, query: [QueryItem])? {
        guard target.first == "/" else { return nil }
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = percentDecoded(parts[0], plusIsSpace: false) else { return nil }
        var query: [QueryItem] = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&", omittingEmptySubsequences: true) {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = percentDecoded(nameValue[0], plusIsSpace: true),
                    let value = percentDecoded(nameValue.count == 2 ? nameValue[1] : "", plusIsSpace: true)
                else { return nil }
                query.append(QueryItem(name: name, value: value))
            }
        }
        return (path, query)
    }
}
