import XCTest

@testable import FleetCore

/// The byte writer used for big listings must produce exactly what JSONText and TimeFormat do.
final class JSONBytesTests: XCTestCase {
    func testStringsMatchJSONTextIncludingEscapes() {
        for s in ["robot-01", "", "天山路街道图书馆", "quote \" and \\ backslash", "tab\tnew\nline", "\u{1}", "é"] {
            var out = JSONBytes()
            out.string(s)
            XCTAssertEqual(String(decoding: out.bytes, as: UTF8.self), JSONText.quote(s), s)
        }
    }

    func testTimesMatchTimeFormatAcrossZonesAndDates() {
        for zone in ["Asia/Shanghai", "Europe/Berlin", "America/St_Johns", "UTC"] {
            let format = TimeFormat(zoneIdentifier: zone)
            for t in [0.0, 951_782_400.5, 1_795_650_004.12, 1_774_746_000, 1_792_890_000, 4_102_444_799.999] {
                var out = JSONBytes()
                out.time(t, format)
                XCTAssertEqual(
                    String(decoding: out.bytes, as: UTF8.self), "\"" + format.format(t) + "\"", "\(zone) \(t)")
            }
        }
        var none = JSONBytes()
        none.time(nil, TimeFormat(zoneIdentifier: "UTC"))
        XCTAssertEqual(String(decoding: none.bytes, as: UTF8.self), "null")
    }

    func testTimeFormatKnownValues() {
        let shanghai = TimeFormat(zoneIdentifier: "Asia/Shanghai")
        XCTAssertEqual(shanghai.format(1_795_699_804.12, milliseconds: true), "2026-11-26T21:30:04.120+08:00")
        XCTAssertEqual(TimeFormat(zoneIdentifier: "America/St_Johns").format(0), "1969-12-31T20:30:00-03:30")
        XCTAssertEqual(TimeFormat(zoneIdentifier: "UTC").format(951_782_400), "2000-02-29T00:00:00+00:00")
    }
}
