/// A strict RFC 8259 reader over raw bytes that never builds a tree: the heartbeat decoder asks
/// it for the next key or value and skips what it does not need. It exists because Foundation's
/// decoders cost ~7 µs a message, which alone would cap ingest well below the broker's rate
/// (PITFALLS.md; measured again in docs/benchmarks.md).
struct JSONScanner {
    struct Failure: Error { let message: String }

    static let maxDepth = 32
    let bytes: UnsafeRawBufferPointer
    private(set) var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }

    // The scanner's primitives are called ~40 times a heartbeat: inlined, since as calls they
    // were a third of the decoder's time (docs/benchmarks.md, "seventh pass").
    @inline(__always)
    mutating func skipWhitespace() {
        // Compact JSON has no spaces: one comparison when the next byte is a token's.
        if index < bytes.count && bytes[index] > 0x20 { return }
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next non-space byte, not consumed.
    @inline(__always)
    mutating func peek() throws(Failure) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw Failure(message: "unexpected end of JSON") }
        return bytes[index]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Failure) {
        guard try peek() == byte else {
            throw Failure(message: "expected '\(Character(Unicode.Scalar(byte)))' at byte \(index)")
        }
        index += 1
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) throws(Failure) -> Bool {
        if try peek() == byte {
            index += 1
            return true
        }
        return false
    }

    // MARK: strings

    /// A string token's raw bytes (between the quotes) and whether it needs unescaping.
    struct RawString {
        let range: Range<Int>
        let hasEscapes: Bool
    }

    mutating func readRawString() throws(Failure) -> RawString {
        try expect(UInt8(ascii: "\""))
        let start = index
        let end = bytes.count
        var hasEscapes = false
        var hasNonASCII = false
        while true {
            // Eight bytes at a time up to the next byte that needs a look: most of a string's
            // bytes are plain ASCII, and a byte-at-a-time loop was ~2.5 ns a byte.
            while index &+ 8 <= end {
                let found = Self.bytesNeedingALook(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if found == 0 {
                    index &+= 8
                } else {
                    index &+= found.trailingZeroBitCount >> 3
                    break
                }
            }
            guard index < end else { throw Failure(message: "unterminated string") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                let raw = RawString(range: start..<index, hasEscapes: hasEscapes)
                index += 1
                if hasNonASCII {
                    guard String(validating: UnsafeRawBufferPointer(rebasing: bytes[raw.range]), as: UTF8.self) != nil
                    else { throw Failure(message: "string is not valid UTF-8") }
                }
                return raw
            case UInt8(ascii: "\\"):
                hasEscapes = true
                guard index + 1 < end else { throw Failure(message: "unterminated string") }
                let e = bytes[index + 1]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < end, (2...5).allSatisfy({ Self.hexValue(bytes[index + $0]) != nil })
                    else { throw Failure(message: "bad \\u escape") }
                    index += 6
                default:
                    throw Failure(message: "bad escape in string")
                }
            case 0x00..<0x20:
                throw Failure(message: "control character in string")
            default:
                if b >= 0x80 { hasNonASCII = true }
                index += 1
            }
        }
    }

    /// A mask with the high bit set in the lowest of `word`'s bytes (little-endian: the first in
    /// memory) that is `"`, `\`, a control character or not ASCII, or 0 if none is. The classic
    /// bit tricks: `(x - 0x01…) & ~x & 0x80…` flags zero bytes, and `x - 0x20…` borrows for bytes
    /// below 0x20; each may also flag a byte above a true one (a borrow), never below it, so the
    /// lowest flag is exact.
    @inline(__always)
    static func bytesNeedingALook(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | control | word) & highs
    }

    /// Whether a string token (a key or a value) equals `literal`; one written with escapes
    /// (`"se\u0071"`) is decoded first.
    @inline(__always)
    func tokenEquals(_ raw: RawString, _ literal: StaticString) -> Bool {
        if raw.hasEscapes {
            return (try? string(raw)) == literal.description
        }
        return rawEquals(raw, literal)
    }

    @inline(__always)
    func rawEquals(_ raw: RawString, _ literal: StaticString) -> Bool {
        guard !raw.hasEscapes, raw.range.count == literal.utf8CodeUnitCount else { return false }
        return matches(literal, at: raw.range.lowerBound)
    }

    /// Whether the bytes at `offset` are `literal`'s, which the caller has checked fit. A byte loop
    /// rather than `memcmp`: keys and literals are a few bytes, and FleetCore imports no C library.
    @inline(__always)
    private func matches(_ literal: StaticString, at offset: Int) -> Bool {
        let text = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount where bytes[offset + i] != text[i] { return false }
        return true
    }

    func string(_ raw: RawString) throws(Failure) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[raw.range])
        guard raw.hasEscapes else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            let b = slice[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = slice[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = Self.hex4(slice, i)
                i += 4
                if (0xD800..<0xDC00).contains(code) {
                    guard i + 5 < slice.count + 0, slice[i] == UInt8(ascii: "\\"), slice[i + 1] == UInt8(ascii: "u")
                    else { throw Failure(message: "unpaired surrogate") }
                    let low = Self.hex4(slice, i + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw Failure(message: "unpaired surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00..<0xE000).contains(code) {
                    throw Failure(message: "unpaired surrogate")
                }
                guard let scalar = Unicode.Scalar(code) else { throw Failure(message: "bad code point") }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func readString() throws(Failure) -> String { try string(readRawString()) }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func hex4(_ s: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { ($0 << 4) | (hexValue(s[at + $1]) ?? 0) }
    }

    // MARK: numbers

    struct Number {
        let value: Double
        /// Set when the literal had no fraction or exponent and fits Int64.
        let integer: Int64?
    }

    mutating func readNumber() throws(Failure) -> Number {
        skipWhitespace()
        let start = index
        let end = bytes.count
        let negative = index < end && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < end, Self.isDigit(bytes[index]) else { throw Failure(message: "bad number") }
        // One pass: the digits' value is gathered as they are checked, while it fits (18 digits).
        var mantissa: Int64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            digits = 1
        } else {
            while index < end, Self.isDigit(bytes[index]) {
                if digits < 18 { mantissa = mantissa &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
        }
        let integerDigits = digits
        var fractionDigits = 0
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, Self.isDigit(bytes[index]) else { throw Failure(message: "bad number") }
            while index < end, Self.isDigit(bytes[index]) {
                if digits < 18 { mantissa = mantissa &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0")) }
                digits += 1
                fractionDigits += 1
                index += 1
            }
        }
        var hasExponent = false
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            hasExponent = true
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < end, Self.isDigit(bytes[index]) else { throw Failure(message: "bad number") }
            while index < end, Self.isDigit(bytes[index]) { index += 1 }
        }
        if fractionDigits == 0 && !hasExponent && integerDigits <= 18 {
            let v = negative ? -mantissa : mantissa
            return Number(value: Double(v), integer: v)
        }
        // Short decimals without exponent (36.5, 0.25): mantissa and a power of ten are both
        // exact doubles, so one division is correctly rounded (Clinger's fast path); metrics are
        // mostly like this, and parsing a copy cost more than the rest of the payload.
        if fractionDigits > 0 && !hasExponent && digits <= 15 {
            let value = Double(mantissa) / Self.powerOfTen(fractionDigits)
            return Number(value: negative ? -value : value, integer: nil)
        }
        // Rare path (long mantissas, exponents): Swift's own correctly rounded parser on a copy of
        // the token, which the grammar above has already checked. Tokens of up to 15 bytes are
        // small strings and do not allocate.
        let token = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(token) else { throw Failure(message: "bad number") }
        guard value.isFinite else { throw Failure(message: "number out of range") }
        return Number(value: value, integer: nil)
    }

    /// 10^n for n in 1...15, each exact; a switch, not a static array, which is behind a
    /// lazy-initialisation check on every access.
    private static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    // MARK: literals and skipping

    mutating func readLiteral(_ literal: StaticString) throws(Failure) {
        let n = literal.utf8CodeUnitCount
        guard index + n <= bytes.count, matches(literal, at: index) else {
            throw Failure(message: "bad literal at byte \(index)")
        }
        index += n
    }

    /// Validates and steps over one value of any type.
    mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < Self.maxDepth else { throw Failure(message: "nesting deeper than \(Self.maxDepth)") }
        switch try peek() {
        case UInt8(ascii: "{"):
            index += 1
            if try consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try readRawString()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            } while try consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            if try consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while try consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        case UInt8(ascii: "\""): _ = try readRawString()
        case UInt8(ascii: "t"): try readLiteral("true")
        case UInt8(ascii: "f"): try readLiteral("false")
        case UInt8(ascii: "n"): try readLiteral("null")
        default: _ = try readNumber()
        }
    }
}
