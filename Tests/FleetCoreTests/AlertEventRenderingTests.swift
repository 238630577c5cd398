import Foundation
import XCTest

@testable import FleetCore

final class AlertEventRenderingTests: XCTestCase {
    private let shanghai = TimeFormat(zoneIdentifier: "Asia/Shanghai")
    /// 2026-11-26T21:30:04.125+08:00, a time whose fraction is exact in binary.
    private let openedAt = 1_795_699_804.125
    /// 2026-11-27T10:30:04+08:00
    private let respondBy = 1_795_746_604.0

    private func specEvent(at time: Double) -> AlertEvent {
        AlertEvent(
            time: time, kind: .open, priority: .p2, incidentID: 123,
            fields: [
                .init("rule", "offline"), .init("site", "tianshan"), .init("kind", "delivery-robot"),
                .init("device", "robot-01"), .init("respond_by", shanghai.format(respondBy)),
                .init("msg", "no heartbeat for 31.2s (expected every 10s)"),
            ])
    }

    func testTextLineHasTheSpecLayout() {
        XCTAssertEqual(
            specEvent(at: openedAt).textLine(shanghai),
            "2026-11-26T21:30:04.125+08:00 OPEN P2 INC-000123 rule=offline site=tianshan "
                + "kind=delivery-robot device=robot-01 respond_by=2026-11-27T10:30:04+08:00 "
                + "msg=\"no heartbeat for 31.2s (expected every 10s)\"")
    }

    func testWholeSecondsRenderWithThreeZeroMilliseconds() {
        let event = AlertEvent(
            time: 1_795_699_804, kind: .resolve, priority: .p1, incidentID: 7,
            fields: [.init("by", "auto")])
        XCTAssertEqual(event.textLine(shanghai), "2026-11-26T21:30:04.000+08:00 RESOLVE P1 INC-000007 by=auto")
    }

    func testEveryEventKindPrintsItsSpecName() {
        let names = AlertEvent.Kind.allCases.map { kind in
            AlertEvent(time: openedAt, kind: kind, priority: .p1, incidentID: 1, fields: []).textLine(shanghai)
                .split(separator: " ")[1]
        }
        XCTAssertEqual(
            names,
            [
                "OPEN", "ESCALATE", "UPDATE", "FLAPPING", "ACK", "DISPATCH", "ARRIVE", "NOTE",
                "RESOLVE", "SLA-BREACH", "PARTS", "PLAN", "SLA-WARNING",
            ])
    }

    func testValuesAreQuotedOnlyWhenTheyNeedIt() {
        let cases: [(String, String)] = [
            ("robot-01", "robot-01"),
            ("天山路街道图书馆", "天山路街道图书馆"),
            ("2026-11-27T10:30:04+08:00", "2026-11-27T10:30:04+08:00"),
            ("two words", "\"two words\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("a=b", "\"a=b\""),
            ("", "\"\""),
            ("back\\slash", "\"back\\\\slash\""),
            ("line\nbreak", "\"line\\nbreak\""),
            ("carriage\rreturn", "\"carriage\\rreturn\""),
        ]
        for (value, rendered) in cases {
            let line = AlertEvent(
                time: openedAt, kind: .note, priority: .p2, incidentID: 1,
                fields: [.init("note", value)]
            ).textLine(shanghai)
            XCTAssertEqual(line, "2026-11-26T21:30:04.125+08:00 NOTE P2 INC-000001 note=\(rendered)", value)
        }
    }

    func testATextLineSplitsBackIntoTheSameFields() throws {
        let values = [
            "plain", "two words", "say \"hi\" = \\o/", "", "a=b=c", "multi\nline\rx\n", "\"", "\\", " ",
            "trailing\\",
        ]
        let fields = values.enumerated().map { AlertEvent.Field("k\($0.offset)", $0.element) }
        let line = AlertEvent(time: openedAt, kind: .note, priority: .p2, incidentID: 9, fields: fields)
            .textLine(shanghai)
        XCTAssertFalse(line.contains("\n"))
        XCTAssertFalse(line.contains("\r"))
        let tokens = try Self.split(line)
        XCTAssertEqual(Array(tokens.prefix(4)), ["2026-11-26T21:30:04.125+08:00", "NOTE", "P2", "INC-000009"])
        XCTAssertEqual(tokens.dropFirst(4).map { $0 }, fields.map { "\($0.key)=\($0.value)" })
    }

    /// Splits on spaces outside quotes and undoes the quoting, like an operator's script would.
    private static func split(_ line: String) throws -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in line {
            if escaped {
                switch c {
                case "n": current.append("\n")
                case "r": current.append("\r")
                default: current.append(c)
                }
                escaped = false
            } else if quoted && c == "\\" {
                escaped = true
            } else if c == "\"" {
                quoted.toggle()
            } else if c == " " && !quoted {
                tokens.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        guard !quoted, !escaped else { throw CocoaError(.coderInvalidValue) }
        tokens.append(current)
        return tokens
    }

    func testJSONLineStartsWithTsEventPriorityIncidentThenTheFields() {
        XCTAssertEqual(
            specEvent(at: openedAt).jsonLine(shanghai),
            #"{"ts":"2026-11-26T21:30:04.125+08:00","event":"OPEN","priority":"P2","incident":"INC-000123","#
                + #""rule":"offline","site":"tianshan","kind":"delivery-robot","device":"robot-01","#
                + #""respond_by":"2026-11-27T10:30:04+08:00","msg":"no heartbeat for 31.2s (expected every 10s)"}"#)
    }

    func testJSONLineIsOneValidObjectEvenWithAwkwardValues() throws {
        let awkward = "quote \" backslash \\ newline \n tab \t bell \u{7} 天山 😀"
        let line = AlertEvent(
            time: openedAt, kind: .slaBreach, priority: .p1, incidentID: 42,
            fields: [.init("sla", "respond"), .init("msg", awkward)]
        ).jsonLine(shanghai)
        XCTAssertFalse(line.contains("\n"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        XCTAssertEqual(
            object,
            [
                "ts": "2026-11-26T21:30:04.125+08:00", "event": "SLA-BREACH", "priority": "P1",
                "incident": "INC-000042", "sla": "respond", "msg": awkward,
            ])
    }

    func testIncidentLabelsArePaddedToSixDigitsAndParseBack() {
        XCTAssertEqual(Incident.label(1), "INC-000001")
        XCTAssertEqual(Incident.label(123), "INC-000123")
        XCTAssertEqual(Incident.label(999_999), "INC-999999")
        XCTAssertEqual(Incident.label(1_234_567), "INC-1234567")
        XCTAssertEqual(Incident.parseLabel("INC-000123"), 123)
        XCTAssertEqual(Incident.parseLabel("inc-000123"), 123)
        XCTAssertEqual(Incident.parseLabel("123"), 123)
        XCTAssertEqual(Incident.parseLabel("INC-1234567"), 1_234_567)
        for bad in ["", "INC-", "INC-0", "INC-000000", "INC--5", "INC-12a", "MW-12", "INC-١٢"] {
            XCTAssertNil(Incident.parseLabel(bad), bad)
        }
    }

    func testTimesRenderWithTheZonesOwnOffset() {
        let t = 1_795_699_804.0  // 2026-11-26T13:30:04Z
        XCTAssertEqual(TimeFormat(zoneIdentifier: "Asia/Shanghai").format(t), "2026-11-26T21:30:04+08:00")
        XCTAssertEqual(TimeFormat(zoneIdentifier: "America/New_York").format(t), "2026-11-26T08:30:04-05:00")
        XCTAssertEqual(TimeFormat(zoneIdentifier: "Asia/Kolkata").format(t), "2026-11-26T19:00:04+05:30")
        XCTAssertEqual(TimeFormat(zoneIdentifier: "Europe/Berlin").format(t), "2026-11-26T14:30:04+01:00")
        // Summer time: the offset is the one in force at that instant.
        XCTAssertEqual(TimeFormat(zoneIdentifier: "Europe/Berlin").format(1_782_000_000), "2026-06-21T02:00:00+02:00")
    }

    func testRenderedTimesParseBackToTheSameInstant() throws {
        let format = TimeFormat(zoneIdentifier: "America/St_Johns")  // -03:30 in November
        for t in [0.0, 951_782_400, 1_795_699_804, 4_102_444_799] {
            let text = format.format(t)
            XCTAssertEqual(try XCTUnwrap(RFC3339.parse(text), text), t, text)
        }
    }

    // MARK: found in round 1 (the comments describe the code as it was)

    /// TimeFormat.swift `format(_:milliseconds:)`: `Int(((unixSeconds - whole) * 1000).rounded(.down))`
    /// turns the SPEC's own example time 21:30:04.120 into `.119`, since 1795699804.12 is stored as
    /// 1795699804.1199998…; about half of all millisecond values come out one too low.
    func testTheSpecExampleTimeKeepsItsMilliseconds() throws {
        let opened = try XCTUnwrap(RFC3339.parse("2026-11-26T21:30:04.120+08:00"))
        let format = TimeFormat(zoneIdentifier: "Asia/Shanghai")
        XCTAssertEqual(format.format(opened, milliseconds: true), "2026-11-26T21:30:04.120+08:00")
        var wrong = 0
        for ms in 0..<1000 {
            let t = 1_795_699_804 + Double(ms) / 1000
            if !format.format(t, milliseconds: true).contains(String(format: ".%03d+", ms)) { wrong += 1 }
        }
        XCTAssertEqual(wrong, 0, "milliseconds rendered one too low")
    }

    /// AlertEvent+Rendering.swift `quoteIfNeeded`: it walks `Character`s, and "\r\n" is one
    /// Character that matches neither `case "\n"` nor `case "\r"`, so a value holding a CRLF
    /// (an operator's note, say) is written raw and splits the event over two log lines.
    func testACRLFInsideAValueDoesNotBreakTheLine() {
        let line = AlertEvent(
            time: 1_795_699_804, kind: .note, priority: .p2, incidentID: 1,
            fields: [.init("note", "first\r\nsecond")]
        )
        .textLine(TimeFormat(zoneIdentifier: "Asia/Shanghai"))
        XCTAssertFalse(line.contains("\n"), line)
        XCTAssertEqual(line, #"2026-11-26T21:30:04.000+08:00 NOTE P2 INC-000001 note="first\r\nsecond""#)
    }
}
