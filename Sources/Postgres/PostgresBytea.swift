/// `bytea` in text format: `\x` and two hex digits per byte (the server's default output, and
/// what it accepts as input), so binary values travel over the text protocol without escaping.
public enum PostgresBytea {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `[0x0a, 0xff]` → `\x0aff`. Built byte by byte (no `String(format:)` per byte): history
    /// batches encode thousands of values on the engine loop's thread.
    public static func hex(_ bytes: [UInt8]) -> String {
        var utf8: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        utf8.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// `\x0aff` → `[0x0a, 0xff]`; nil for text that is not hex bytea (the old escape format, say).
    public static func bytes(fromHex text: String) -> [UInt8]? {
        var utf8 = text.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "\\"), utf8.next() == UInt8(ascii: "x") else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 2)
        while let high = utf8.next() {
            guard let low = utf8.next(), let h = value(high), let l = value(low) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
