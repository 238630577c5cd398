import Foundation
import XCTest

@testable import FleetCore

final class RFC3339Tests: XCTestCase {
    /// Foundation's reading of the same text, as an independent reference.
    private func foundation(_ text: String) -> Double? {
        let f = ISO8601DateFormatter()
        f.formatOptions =
            text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return f.date(from: text)?.timeIntervalSince1970
    }

    func testTheEpochIsZero() {
        XCTAssertEqual(RFC3339.parse("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(RFC3339.parse("1969-12-31T23:59:59Z"), -1)
    }

    func testValidFormsAgreeWithFoundation() throws {
        let texts = [
            "2026-11-26T21:30:04+08:00",
            "2026-11-26T13:30:04Z",
            "2026-11-26T08:30:04-05:00",
            "2026-11-26T21:30:04.120+08:00",
            "2026-11-26T21:30:04.5Z",
            "2000-01-01T00:00:00Z",
            "2024-02-29T12:00:00+00:00",
            "2026-03-29T02:30:00+05:30",
            "2038-01-19T03:14:08Z",
            "2099-12-31T23:59:59-12:00",
        ]
        for text in texts {
            let ours = try XCTUnwrap(RFC3339.parse(text), text)
            let reference = try XCTUnwrap(foundation(text), text)
            XCTAssertEqual(ours, reference, accuracy: 1e-3, text)
        }
    }

    func testTheSpecExampleIsTheSameInstantInEveryOffset() throws {
        let shanghai = try XCTUnwrap(RFC3339.parse("2026-11-26T21:30:04.120+08:00"))
        XCTAssertEqual(shanghai, 1_795_699_804.12, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse("2026-11-26T13:30:04.120Z")), shanghai, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse("2026-11-26T08:30:04.120-05:00")), shanghai, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse("2026-11-26T19:00:04.120+05:30")), shanghai, accuracy: 1e-6)
    }

    func testOffsetArithmeticCrossesDayMonthAndYearBoundaries() {
        XCTAssertEqual(RFC3339.parse("2026-01-01T00:30:00+01:00"), RFC3339.parse("2025-12-31T23:30:00Z"))
        XCTAssertEqual(RFC3339.parse("2026-02-28T23:00:00-02:00"), RFC3339.parse("2026-03-01T01:00:00Z"))
        XCTAssertEqual(RFC3339.parse("2024-02-28T23:00:00-02:00"), RFC3339.parse("2024-02-29T01:00:00Z"))
        XCTAssertEqual(RFC3339.parse("2026-06-15T00:00:00+14:00"), RFC3339.parse("2026-06-14T10:00:00Z"))
        XCTAssertEqual(RFC3339.parse("2026-06-15T00:00:00-00:00"), RFC3339.parse("2026-06-15T00:00:00Z"))
    }

    func testFebruary29ExistsOnlyInLeapYears() {
        XCTAssertEqual(RFC3339.parse("2024-02-29T00:00:00Z"), 1_709_164_800)
        XCTAssertNotNil(RFC3339.parse("2000-02-29T00:00:00Z"))
        XCTAssertNotNil(RFC3339.parse("2028-02-29T00:00:00Z"))
        XCTAssertNil(RFC3339.parse("2026-02-29T00:00:00Z"))
        XCTAssertNil(RFC3339.parse("1900-02-29T00:00:00Z"))
        XCTAssertNil(RFC3339.parse("2100-02-29T00:00:00Z"))
        XCTAssertEqual(RFC3339.parse("2024-03-01T00:00:00Z")! - RFC3339.parse("2024-02-28T00:00:00Z")!, 2 * 86400)
        XCTAssertEqual(RFC3339.parse("2026-03-01T00:00:00Z")! - RFC3339.parse("2026-02-28T00:00:00Z")!, 86400)
    }

    func testLowercaseTAndZAndASpaceSeparatorAreAccepted() {
        let expected = RFC3339.parse("2026-11-26T13:30:04Z")
        XCTAssertNotNil(expected)
        XCTAssertEqual(RFC3339.parse("2026-11-26t13:30:04z"), expected)
        XCTAssertEqual(RFC3339.parse("2026-11-26 13:30:04Z"), expected)
    }

    func testFractionsOfAnyLengthAreKept() throws {
        let base = try XCTUnwrap(RFC3339.parse("2026-11-26T13:30:04Z"))
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse("2026-11-26T13:30:04.1Z")) - base, 0.1, accuracy: 1e-6)
        XCTAssertEqual(
            try XCTUnwrap(RFC3339.parse("2026-11-26T13:30:04.123456789Z")) - base, 0.123456789,
            accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse("2026-11-26T13:30:04.999+00:00")) - base, 0.999, accuracy: 1e-6)
    }

    func testALeapSecondIsReadAsTheNextSecond() {
        XCTAssertEqual(RFC3339.parse("2016-12-31T23:59:60Z"), RFC3339.parse("2017-01-01T00:00:00Z"))
    }

    func testInvalidFormsAreRejected() {
        let invalid = [
            "",
            "2026-11-26",
            "2026-11-26T21:30:04",  // no offset
            "2026-11-26T21:30Z",  // no seconds
            "2026-11-26T21:30:04.Z",  // empty fraction
            "2026-11-26T21:30:04+0800",  // offset without colon
            "2026-11-26T21:30:04+08",  // offset without minutes
            "2026-11-26T21:30:04+24:00",  // offset hour out of range
            "2026-11-26T21:30:04+08:60",  // offset minute out of range
            "2026-11-26T21:30:04Z ",  // trailing space
            "2026-11-26T21:30:04ZZ",  // trailing garbage
            "2026-11-26T21:30:04+08:00:00",  // offset with seconds
            " 2026-11-26T21:30:04Z",  // leading space
            "2026-13-01T00:00:00Z",  // month 13
            "2026-00-01T00:00:00Z",  // month 0
            "2026-11-00T00:00:00Z",  // day 0
            "2026-11-31T00:00:00Z",  // November has 30 days
            "2026-04-31T00:00:00Z",
            "2026-01-32T00:00:00Z",
            "2026-11-26T24:00:00Z",  // hour 24
            "2026-11-26T21:60:00Z",  // minute 60
            "2026-11-26T21:30:61Z",  // second 61
            "26-11-26T21:30:04Z",  // two-digit year
            "2026/11/26T21:30:04Z",
            "2026-11-26X21:30:04Z",
            "2026-1-26T21:30:04Z",
            "2026-11-26T21:30:4Z",
            "+2026-11-26T21:30:04Z",
            "2026-11-26T21:30:04.12a+08:00",
            "1795699804",
        ]
        for text in invalid {
            XCTAssertNil(RFC3339.parse(text), "accepted \(text)")
        }
    }

    func testNonASCIIDigitsAreRejected() {
        XCTAssertNil(RFC3339.parse("２026-11-26T21:30:04Z"))
        XCTAssertNil(RFC3339.parse("2026-11-26T21:30:04٫5Z"))
    }
}
