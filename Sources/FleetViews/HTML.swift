/// HTML text and attribute escaping. Every string that comes from a device (ids are checked, but
/// names, firmware and summaries are not), from an operator (notes, names) or from the
/// configuration (site names) goes through `text` before it reaches the page.
enum HTML {
    /// Escapes `& < > " '`, so the result is safe as element text and inside a quoted
    /// attribute. Control characters other than tab and newline become U+FFFD: the page never
    /// carries a raw terminal or bidi trick from device-supplied text.
    static func text(_ s: String) -> String {
        var clean = true
        for b in s.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b < 0x20 || b == 0x7F {
            clean = false
            break
        }
        if clean && !s.unicodeScalars.contains(where: isHiddenControl) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case let c where c.value < 0x20 || c.value == 0x7F || isHiddenControl(c): out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C1 controls, line/paragraph separators and bidi overrides: invisible, and able to make
    /// text read differently from what it is.
    private static func isHiddenControl(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x80...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// A query value: everything but unreserved characters percent-encoded.
    static func queryValue(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
