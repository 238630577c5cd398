/// Orders firmware versions the way people read them: `2.10.1` is newer than `2.9`, numbers
/// compare as numbers, and text between them (`-rc1`) compares as text.
enum FirmwareVersion {
    static func isOlder(_ a: String, than b: String) -> Bool {
        let x = parts(a)
        let y = parts(b)
        for (p, q) in zip(x, y) where p != q {
            switch (p, q) {
            case (.number(let m), .number(let n)): return m < n
            case (.text(let s), .text(let t)): return s < t
            case (.number, .text): return false  // 2.1 is newer than 2.rc
            case (.text, .number): return true
            }
        }
        return x.count < y.count
    }

    private enum Part: Equatable {
        case number(Int)
        case text(String)
    }

    private static func parts(_ version: String) -> [Part] {
        var out: [Part] = []
        var digits = ""
        var letters = ""
        func flush() {
            if !digits.isEmpty { out.append(.number(Int(digits.prefix(18)) ?? Int.max)) }
            if !letters.isEmpty { out.append(.text(letters)) }
            digits = ""
            letters = ""
        }
        for c in version {
            if c.isASCII && c.isNumber {
                if !letters.isEmpty { flush() }
                digits.append(c)
            } else if c.isLetter {
                if !digits.isEmpty { flush() }
                letters.append(c)
            } else {
                flush()
            }
        }
        flush()
        return out
    }
}
