import XCTest

@testable import FleetCore

/// The scanner's fast paths (eight string bytes at a time, numbers in one pass, fields found by
/// length) against plain byte-at-a-time references: they must decide exactly as those do.
final class JSONScannerSpeedPathTests: XCTestCase {
    /// The bytes a string scan has to stop at.
    private static func needsALook(_ b: UInt8) -> Bool { b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 }

    private static func firstNeedingALook(_ word: UInt64) -> Int? {
        (0..<8).first { needsALook(UInt8(truncatingIfNeeded: word >> (8 * UInt64($0)))) }
    }

    func testTheWordTestFindsTheFirstByteThatNeedsALook() {
        let interesting: [UInt8] = [
            0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF,
        ]
        var rng = SeededGenerator(seed: 17)
        var words: [UInt64] = []
        // Every interesting byte at every position among plain bytes, and pairs of them.
        for i in 0..<8 {
            for b in interesting {
                words.append(0x6161_6161_6161_6161 & ~(0xFF << (8 * UInt64(i))) | UInt64(b) << (8 * UInt64(i)))
                for j in 0..<8 where j != i {
                    for c in interesting {
                        var w = words.last!
                        w = w & ~(0xFF << (8 * UInt64(j))) | UInt64(c) << (8 * UInt64(j))
                        words.append(w)
                    }
                }
            }
        }
        // And random words, biased towards bytes near the boundaries.
        for _ in 0..<200_000 {
            var w: UInt64 = 0
            for i in 0..<8 {
                let r = rng.next()
                let b = r % 3 == 0 ? interesting[Int(r >> 8) % interesting.count] : UInt8(truncatingIfNeeded: r >> 16)
                w |= UInt64(b) << (8 * UInt64(i))
            }
            words.append(w)
        }
        for w in words {
            let mask = JSONScanner.bytesNeedingALook(w)
            let found = mask == 0 ? nil : mask.trailingZeroBitCount >> 3
            XCTAssertEqual(found, Self.firstNeedingALook(w), String(w, radix: 16))
            if found != Self.firstNeedingALook(w) { return }
        }
    }

    /// The byte-at-a-time string scan the fast one replaced, as the reference.
    private static func referenceString(_ bytes: [UInt8]) -> String {
        guard bytes.first == 0x22 else { return "error" }
        var i = 1
        var nonASCII = false
        var escapes = false
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 {
                if nonASCII, String(validating: bytes[1..<i], as: UTF8.self) == nil { return "error" }
                return "\(1..<i) \(escapes)"
            }
            if b == 0x5C {
                escapes = true
                guard i + 1 < bytes.count else { return "error" }
                switch bytes[i + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 2
                case 0x75:
                    let hex = (2...5).allSatisfy {
                        i + $0 < bytes.count && Character(Unicode.Scalar(bytes[i + $0])).isHexDigit
                    }
                    guard hex else { return "error" }
                    i += 6
                default: return "error"
                }
                continue
            }
            if b < 0x20 { return "error" }
            if b >= 0x80 { nonASCII = true }
            i += 1
        }
        return "error"
    }

    func testStringsOfEveryLengthScanAsTheByteLoopDid() {
        let specials: [[UInt8]] = [
            [0x22], [0x5C, 0x22], [0x5C, 0x5C], [0x5C, 0x75, 0x30, 0x30, 0x34, 0x31], [0x5C, 0x75, 0x30, 0x47],
            [0x5C, 0x78], [0x5C], [0x00], [0x1F], [0x7F], [0xC3, 0xA9], [0xC3], [0xE4, 0xB8, 0xAD], [0xFF], [0x20],
        ]
        for length in 0...24 {
            for at in 0...length {
                for special in specials {
                    for tail in [[], [0x22], [0x22, 0x7D, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]] as [[UInt8]]
                    {
                        var body = [UInt8](repeating: 0x61, count: length)
                        body.insert(contentsOf: special, at: at)
                        let text = [0x22] + body + tail
                        let got: String = text.withUnsafeBytes { raw in
                            var scanner = JSONScanner(raw)
                            guard let s = try? scanner.readRawString() else { return "error" }
                            return "\(s.range) \(s.hasEscapes)"
                        }
                        XCTAssertEqual(got, Self.referenceString(text), "\(text)")
                        if got != Self.referenceString(text) { return }
                    }
                }
            }
        }
    }

    func testNumbersParseAsSwiftParsesThem() throws {
        let literals = [
            "0", "-0", "7", "-7", "10", "86400", "1796214925109", "123456789012345678", "-123456789012345678",
            "999999999999999999", "1234567890123456789", "9223372036854775807", "92233720368547758070",
            "0.5", "-0.5", "10.0", "36.5", "1e3", "1E+3", "1e-3", "-2.5e10", "0e0", "123456789012345.6",
            "1234567890123456.7", "0.000001", "5.0000000000000001",
        ]
        for literal in literals {
            let bytes = Array(literal.utf8)
            let number = try bytes.withUnsafeBytes { raw in
                var scanner = JSONScanner(raw)
                let n = try scanner.readNumber()
                XCTAssertTrue(scanner.isAtEnd, literal)
                return n
            }
            XCTAssertEqual(number.value, try XCTUnwrap(Double(literal)), literal)
            let integer = literal.contains(where: { ".eE".contains($0) }) ? nil : Int64(literal)
            XCTAssertEqual(number.integer, integer.flatMap { abs($0) < 1_000_000_000_000_000_000 ? $0 : nil }, literal)
        }
        for bad in ["-", "01", ".5", "1.", "1e", "1e+", "--1", "+1", "0x10"] {
            let bytes = Array(bad.utf8)
            let accepted = bytes.withUnsafeBytes { raw -> Bool in
                var scanner = JSONScanner(raw)
                guard (try? scanner.readNumber()) != nil else { return false }
                return scanner.isAtEnd
            }
            XCTAssertFalse(accepted, bad)
        }
    }

    func testEveryFieldIsFoundWhateverItsPlace() throws {
        let fields = [
            #""ts":1796214925"#, #""seq":3"#, #""interval_s":10"#, #""health":"degraded""#,
            #""errors":["E1"]"#, #""metrics":{"a":1}"#, #""fw":"v2""#, #""uptime_s":5"#,
            #""tz":1"#, #""sq":1"#, #""fx":1"#, #""healthy":1"#, #""error":1"#,
        ]
        let beat = try HeartbeatDecoder().decode(Array(("{" + fields.reversed().joined(separator: ",") + "}").utf8))
            .get()
        XCTAssertEqual(beat.timestamp, 1_796_214_925)
        XCTAssertEqual(beat.seq, 3)
        XCTAssertEqual(beat.intervalSeconds, 10)
        XCTAssertEqual(beat.health, .degraded)
        XCTAssertEqual(beat.errors, ["E1"])
        XCTAssertEqual(beat.metrics, [Metric(name: "a", value: .number(1))])
        XCTAssertEqual(beat.firmware, "v2")
        XCTAssertEqual(beat.uptimeSeconds, 5)
    }
}
