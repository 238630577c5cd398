/// JSON written straight into bytes, for listings of 100,000 rows where building `String`s per
/// field dominated (Benchmarks: cli). Produces exactly what `JSONText` produces.
public struct JSONBytes {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A quoted string; strings that need no escaping (nearly all) are copied as they are.
    public mutating func string(_ s: String) {
        var s = s
        let clean = s.withUTF8 { !TextSafety.mayNeedEscaping($0) }
        guard clean else {
            bytes.append(contentsOf: JSONText.quote(s).utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        s.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func string(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    public mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }

    /// An RFC 3339 time in quotes, or null.
    public mutating func time(_ t: Double?, _ format: TimeFormat) {
        guard let t else { return raw("null") }
        bytes.append(UInt8(ascii: "\""))
        format.append(t, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
