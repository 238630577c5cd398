import Foundation
import XCTest

@testable import FleetCore

/// Issue 11, item 4: text from operators and devices cannot corrupt the alert log or spoof a
/// terminal. Every control character, NUL, the Unicode line separators and the bidi controls
/// are written escaped, in text lines, in JSON lines and in JSON listings.
final class ForgedTextTests: XCTestCase {
    private let shanghai = TimeFormat(zoneIdentifier: "Asia/Shanghai")

    /// One of each kind of character that must not be written raw.
    static let hostile: [Unicode.Scalar] = [
        "\u{0}", "\u{7}", "\u{8}", "\u{9}", "\u{A}", "\u{B}", "\u{C}", "\u{D}", "\u{1B}", "\u{1E}", "\u{1F}", "\u{7F}",
        "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{61C}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}", "\u{202A}",
        "\u{202E}", "\u{2066}", "\u{2069}",
    ]

    /// A note that, printed raw, erases its own line and draws a RESOLVE written by nobody.
    static let forgedResolve =
        "x\u{1B}[2K\u{1B}[1G2026-12-01T16:14:55.140+08:00 RESOLVE P1 INC-000008 rule=fleet-outage by=auto"
        + "\u{0}\u{2028}\u{85}\u{7}\u{1B}]0;owned\u{7}"

    private func note(_ text: String) -> AlertEvent {
        AlertEvent(
            time: 1_795_699_804.125, kind: .note, priority: .p2, incidentID: 7,
            fields: [.init("by", "mallory\u{1B}[31m"), .init("msg", text)])
    }

    private func rawScalars(in line: String) -> [Unicode.Scalar] { line.unicodeScalars.filter(TextSafety.mustEscape) }

    func testEveryHostileCharacterIsFlaggedAndEverythingElseIsNot() {
        for scalar in Self.hostile {
            XCTAssertTrue(TextSafety.mustEscape(scalar), "U+\(String(scalar.value, radix: 16))")
        }
        for text in ["plain", "天山路街道图书馆", "—…“”", "é ü ©", "😀", "\\"] {
            XCTAssertTrue(text.unicodeScalars.allSatisfy { !TextSafety.mustEscape($0) }, text)
        }
    }

    func testATextLineHoldsNoRawControlCharacterAndStaysOneLine() {
        for scalar in Self.hostile {
            let line = note("a\(Character(scalar))b").textLine(shanghai)
            XCTAssertEqual(rawScalars(in: line), [], "U+\(String(scalar.value, radix: 16)): \(line)")
        }
        let line = note(Self.forgedResolve).textLine(shanghai)
        XCTAssertEqual(rawScalars(in: line), [])
        XCTAssertTrue(
            line.hasPrefix(
                "2026-11-26T21:30:04.125+08:00 NOTE P2 INC-000007 by=\"mallory\\u001b[31m\" msg=\"x\\u001b[2K"),
            line)
        XCTAssertTrue(line.contains(#"\u0000\u2028\u0085\u0007\u001b]0;owned\u0007""#), line)
        XCTAssertFalse(line.contains(" RESOLVE P1 INC-000008 rule=fleet-outage by=auto\u{0}"))
    }

    func testATextLineSplitsBackIntoTheSameFieldsWhateverTheyHold() throws {
        let values = Self.hostile.map { "v\(Character($0))w" } + [Self.forgedResolve, "tab\there"]
        let event = AlertEvent(
            time: 1_795_699_804, kind: .note, priority: .p1, incidentID: 9,
            fields: values.enumerated().map { AlertEvent.Field("k\($0.offset)", $0.element) })
        let tokens = try Self.splitFields(event.textLine(shanghai))
        XCTAssertEqual(Array(tokens.dropFirst(4)), event.fields.map { "\($0.key)=\($0.value)" })
    }

    func testAJSONLineEscapesThemAndParsesBackToTheSameText() throws {
        let line = note(Self.forgedResolve).jsonLine(shanghai)
        XCTAssertEqual(rawScalars(in: line), [], line)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        XCTAssertEqual(object["msg"], Self.forgedResolve)
        XCTAssertEqual(object["by"], "mallory\u{1B}[31m")
        XCTAssertTrue(line.contains(#"\u2028\u0085"#), line)
    }

    func testJSONListingsEscapeThemTheSameWay() throws {
        for scalar in Self.hostile + ["a", "天"] {
            let value = "fw-\(Character(scalar))-1"
            var bytes = JSONBytes()
            bytes.string(value)
            let rendered = String(decoding: bytes.bytes, as: UTF8.self)
            XCTAssertEqual(rendered, JSONText.quote(value))
            XCTAssertEqual(rawScalars(in: rendered), [], rendered)
            let parsed = try JSONSerialization.jsonObject(with: Data("[\(rendered)]".utf8)) as? [String]
            XCTAssertEqual(parsed, [value])
        }
    }

    func testTerminalTextShowsTheEscapesAndKeepsTheRest() {
        XCTAssertEqual(TextSafety.forTerminal("ok 天山 \\n"), "ok 天山 \\n")
        XCTAssertEqual(TextSafety.forTerminal("a\u{1B}[2Kb\u{2028}c\u{0}"), "a\\u001b[2Kb\\u2028c\\u0000")
        XCTAssertEqual(rawScalars(in: TextSafety.forTerminal(Self.forgedResolve)), [])
    }

    /// Splits a text line on spaces outside quotes and undoes the quoting (`\"`, `\\`, `\n`,
    /// `\r`, `\t`, `\uXXXX`), as an operator's script would.
    static func splitFields(_ line: String) throws -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        var scalars = line.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            if quoted && c == "\\" {
                guard let e = scalars.next() else { throw CocoaError(.coderInvalidValue) }
                switch e {
                case "n": current.append("\n")
                case "r": current.append("\r")
                case "t": current.append("\t")
                case "u":
                    var hex = ""
                    for _ in 0..<4 { if let h = scalars.next() { hex.unicodeScalars.append(h) } }
                    guard let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                        throw CocoaError(.coderInvalidValue)
                    }
                    current.append(s)
                default: current.append(e)
                }
            } else if c == "\"" {
                quoted.toggle()
            } else if c == " " && !quoted {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(c)
            }
        }
        guard !quoted else { throw CocoaError(.coderInvalidValue) }
        tokens.append(String(current))
        return tokens
    }
}
