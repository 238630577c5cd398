/// Characters that must never reach a log line or a terminal raw: every C0 control (NUL, ESC,
/// BEL, VT, FF, …), DEL, every C1 control (U+0080–U+009F, among them NEL U+0085 and the 8-bit
/// CSI U+009B), the Unicode line and paragraph separators (U+2028, U+2029) and the bidi
/// controls that reorder what a terminal shows (U+061C, U+200E/F, U+202A–E, U+2066–9).
///
/// An operator's note, a device's `fw` or error code and a metric string can carry any of them
/// (JSON `\u001b`, the control protocol, a heartbeat): raw, they end a log line early (NUL, a
/// newline), glue the next one on, or repaint the terminal of whoever runs `fleetwatch tail` so
/// that a note shows as a forged `RESOLVE` line. Every writer of text meant for people (alert
/// lines, JSON, the CLI's tables) escapes them as `\uXXXX`, which shows what was there.
public enum TextSafety {
    /// Whether `scalar` is written escaped.
    @inline(__always)
    public static func mustEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        guard v >= 0x061C else { return false }
        return v == 0x061C || v == 0x200E || v == 0x200F || (0x2028...0x202E).contains(v)
            || (0x2066...0x2069).contains(v)
    }

    /// A cheap byte test: false means no scalar of `utf8` must be escaped (and no `"` or `\`).
    /// True for any byte that may start one: below 0x20, `"`, `\`, DEL, and the lead bytes 0xC2
    /// (U+0080–U+00BF), 0xD8 (U+0600–U+063F) and 0xE2 (U+2000–U+2FFF). Plain ASCII and CJK text
    /// (lead bytes 0xE3–0xE9) pass without decoding.
    @inline(__always)
    public static func mayNeedEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in utf8 where b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2 {
            return true
        }
        return false
    }

    public static func mayNeedEscaping(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { mayNeedEscaping($0) }
    }

    /// `\u001b`: the JSON spelling, also used in text lines and on the terminal.
    public static func escape(_ scalar: Unicode.Scalar, into out: inout String) {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `text` with every character of `mustEscape` written as `\uXXXX`, for printing to a
    /// terminal text that may hold anything (a log line, a table cell). Everything else,
    /// backslashes included, is left as it is.
    public static func forTerminal(_ text: String) -> String {
        guard mayNeedEscaping(text) else { return text }
        guard text.unicodeScalars.contains(where: mustEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if mustEscape(scalar) { escape(scalar, into: &out) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
