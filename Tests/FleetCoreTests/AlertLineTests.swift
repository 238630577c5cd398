import XCTest

@testable import FleetCore

/// Issue 11, items 1 and 2: the daemon reads its alert log back at start, to continue incident
/// ids after every id the log has used and to learn which lines the database never got.
final class AlertLineTests: XCTestCase {
    private let shanghai = TimeFormat(zoneIdentifier: "Asia/Shanghai")

    private var events: [AlertEvent] {
        [
            AlertEvent(
                time: 1_795_699_804.12, kind: .open, priority: .p1, incidentID: 88,
                fields: [
                    .init("rule", "storage-failure"), .init("respond_by", "2026-11-27T10:30:04+08:00"),
                    .init("msg", "database /var/lib/fleetwatch/fleetwatch.db cannot be written: disk full"),
                ]),
            AlertEvent(
                time: 1_795_699_805, kind: .note, priority: .p2, incidentID: 1_234_567,
                fields: [
                    .init("by", "ops"), .init("msg", ForgedTextTests.forgedResolve), .init("empty", ""),
                    .init("eq", "a=b"),
                ]),
            AlertEvent(time: 1_795_699_806.5, kind: .slaBreach, priority: .p2, incidentID: 3, fields: []),
        ]
    }

    func testEveryLineReadsBackAsTheEventItWasRenderedFrom() {
        for format in [StorageSettings.AlertLogFormat.text, .json] {
            for event in events {
                let line = format == .json ? event.jsonLine(shanghai) : event.textLine(shanghai)
                XCTAssertEqual(AlertLine.event(line, format: format), event, line)
                var bytes = Array(line.utf8)
                let id = bytes.withUnsafeMutableBufferPointer {
                    AlertLine.incidentID(UnsafeBufferPointer($0), format: format)
                }
                XCTAssertEqual(id, event.incidentID, line)
            }
        }
    }

    func testLinesThatAreNotOursNameNoIncident() {
        let garbage = [
            "", "xxxxxxxx", "2026-11-26T21:30:04.120+08:00 OPEN P2", "2026-11-26T21:30:04.120+08:00 OPEN P2 INC-",
            "2026-11-26T21:30:04.120+08:00 OPEN P2 INC-12x rule=offline", "a b c MW-3 d",
            "2026-11-26T21:30:04.120+08:00 OPEN P2 INC-9223372036854775807 rule=offline",  // would overflow the next id
            "2026-11-26T21:30:04.120+08:00 OPEN P2 INC-1000000000000 rule=offline",
            #"{"ts":"2026-11-26T21:30:04.120+08:00","event":"OPEN","priority":"P2"}"#,
            #"{"msg":"\"incident\":\"INC-000077\""}"#,
        ]
        for line in garbage {
            var bytes = Array(line.utf8)
            XCTAssertNil(
                bytes.withUnsafeMutableBufferPointer { AlertLine.incidentID(UnsafeBufferPointer($0), format: .text) },
                line)
            XCTAssertNil(
                bytes.withUnsafeMutableBufferPointer { AlertLine.incidentID(UnsafeBufferPointer($0), format: .json) },
                line)
            XCTAssertNil(AlertLine.event(line, format: .text), line)
        }
        XCTAssertNil(
            AlertLine.event("2026-11-26T21:30:04.120+08:00 OPEN P2 INC-000001 msg=\"unterminated", format: .text))
        XCTAssertNil(AlertLine.event("yesterday OPEN P2 INC-000001", format: .text))
    }

    /// A note cannot make the scan see another incident: its text is quoted and escaped, so the
    /// fourth word and the first `"incident"` key are always the event's own.
    func testANoteNamingAnotherIncidentDoesNotChangeTheLinesId() {
        let note = AlertEvent(
            time: 1_795_699_804, kind: .note, priority: .p2, incidentID: 5,
            fields: [
                .init("msg", "x INC-999999 \"incident\":\"INC-999999\"")
            ])
        for format in [StorageSettings.AlertLogFormat.text, .json] {
            var bytes = Array((format == .json ? note.jsonLine(shanghai) : note.textLine(shanghai)).utf8)
            XCTAssertEqual(
                bytes.withUnsafeMutableBufferPointer { AlertLine.incidentID(UnsafeBufferPointer($0), format: format) },
                5)
        }
    }
}
