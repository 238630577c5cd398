import Foundation
import XCTest

@testable import FleetCore

final class ServiceCalendarTests: XCTestCase {
    private struct Case {
        let start: String
        let seconds: Double
        let expected: String
        let line: UInt
        init(_ start: String, _ seconds: Double, _ expected: String, line: UInt = #line) {
            self.start = start
            self.seconds = seconds
            self.expected = expected
            self.line = line
        }
    }

    private static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    private static let berlin = TimeZone(identifier: "Europe/Berlin")!
    private static let defaultRanges = [
        ServiceRange(startMinute: 9 * 60, endMinute: 12 * 60),
        ServiceRange(startMinute: 13 * 60, endMinute: 22 * 60),
    ]
    private static let weekdays: [Weekday] = [.mon, .tue, .wed, .thu, .fri]

    /// Parsed by Foundation, independently of the code under test.
    private static func instant(_ text: String) -> Double {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        guard let date = f.date(from: text) else { fatalError("bad test time \(text)") }
        return date.timeIntervalSince1970
    }

    private static func render(_ t: Double, _ zone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = zone
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    /// A deliberately naive reference: walks minute by minute and asks Foundation for each local
    /// minute whether it is service time.
    private static func referenceAdding(
        _ seconds: Double, to start: Double, zone: TimeZone, days: [Weekday],
        ranges: [ServiceRange], holidays: [String] = []
    ) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let dayNumbers = Set(days.map(\.gregorianNumber))
        var t = start
        var remaining = seconds
        while remaining > 0 {
            let nextMinute = (t / 60).rounded(.down) * 60 + 60
            let c = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .weekday],
                from: Date(timeIntervalSince1970: t))
            let minute = c.hour! * 60 + c.minute!
            let date = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            let inService =
                dayNumbers.contains(c.weekday!) && !holidays.contains(date)
                && ranges.contains { $0.startMinute <= minute && minute < $0.endMinute }
            if inService {
                let step = min(nextMinute - t, remaining)
                remaining -= step
                t += step
            } else {
                t = nextMinute
            }
        }
        return t
    }

    private func check(
        _ cases: [Case], zone: TimeZone, days: [Weekday] = Weekday.allCases,
        ranges: [ServiceRange] = ServiceCalendarTests.defaultRanges, holidays: [String] = []
    ) {
        let calendar = ServiceCalendar(zone: zone, days: days, ranges: ranges, holidays: holidays)
        for c in cases {
            let start = Self.instant(c.start)
            let expected = Self.instant(c.expected)
            guard let actual = calendar.adding(serviceSeconds: c.seconds, to: start) else {
                XCTFail("\(c.start) + \(c.seconds)s: nil", line: c.line)
                continue
            }
            XCTAssertEqual(
                actual, expected, accuracy: 1e-6,
                "\(c.start) + \(c.seconds)s = \(Self.render(actual, zone)), expected \(c.expected)",
                line: c.line)
            if c.seconds > 0 {
                let reference = Self.referenceAdding(
                    c.seconds, to: start, zone: zone, days: days, ranges: ranges,
                    holidays: holidays)
                XCTAssertEqual(
                    reference, expected, accuracy: 1e-6,
                    "reference walk disagrees with the hand-computed \(c.expected) for \(c.start): "
                        + Self.render(reference, zone), line: c.line)
                XCTAssertEqual(
                    calendar.serviceSeconds(from: start, to: actual), c.seconds, accuracy: 1e-6,
                    "serviceSeconds does not invert adding for \(c.start)", line: c.line)
            }
        }
    }

    // 2026-11-26 is a Thursday.

    func testDefaultCalendarShanghai() {
        check(
            [
                // the end of the morning, not 13:00
                Case("2026-11-26T10:00:00+08:00", 7200, "2026-11-26T12:00:00+08:00"),
                Case("2026-11-26T21:30:00+08:00", 7200, "2026-11-27T10:30:00+08:00"),  // SPEC §6
                Case("2026-11-26T12:30:00+08:00", 7200, "2026-11-26T15:00:00+08:00"),  // in the lunch gap
                Case("2026-11-26T21:59:00+08:00", 7200, "2026-11-27T10:59:00+08:00"),
                Case("2026-11-26T07:00:00+08:00", 7200, "2026-11-26T11:00:00+08:00"),  // before 09:00
                Case("2026-11-26T00:00:00+08:00", 7200, "2026-11-26T11:00:00+08:00"),
                Case("2026-11-26T23:00:00+08:00", 7200, "2026-11-27T11:00:00+08:00"),  // after 22:00
                Case("2026-11-26T09:00:00+08:00", 7200, "2026-11-26T11:00:00+08:00"),  // range boundaries…
                Case("2026-11-26T12:00:00+08:00", 7200, "2026-11-26T15:00:00+08:00"),
                Case("2026-11-26T13:00:00+08:00", 7200, "2026-11-26T15:00:00+08:00"),
                Case("2026-11-26T22:00:00+08:00", 7200, "2026-11-27T11:00:00+08:00"),
                Case("2026-11-26T11:00:00+08:00", 7200, "2026-11-26T14:00:00+08:00"),  // split by lunch
                Case("2026-11-26T20:00:00+08:00", 7200, "2026-11-26T22:00:00+08:00"),  // ends exactly at close
                Case("2026-11-26T21:30:00+08:00", 1800, "2026-11-26T22:00:00+08:00"),
                Case("2026-11-26T08:59:59+08:00", 1, "2026-11-26T09:00:01+08:00"),  // the clock starts at 09:00
                Case("2026-11-26T11:59:59+08:00", 2, "2026-11-26T13:00:01+08:00"),
                Case("2026-11-26T12:59:59+08:00", 1, "2026-11-26T13:00:01+08:00"),
                Case("2026-11-26T21:59:59+08:00", 1, "2026-11-26T22:00:00+08:00"),
                Case("2026-11-26T21:59:59+08:00", 2, "2026-11-27T09:00:01+08:00"),
                Case("2026-11-26T10:00:00+08:00", 14400, "2026-11-26T15:00:00+08:00"),  // P1 on-site, 4 h
                Case("2026-11-26T21:00:00+08:00", 14400, "2026-11-27T12:00:00+08:00"),
                Case("2026-11-26T09:00:00+08:00", 43200, "2026-11-26T22:00:00+08:00"),  // one full service day
                Case("2026-11-26T22:00:00+08:00", 43200, "2026-11-27T22:00:00+08:00"),
                Case("2026-11-26T10:00:00+08:00", 86400, "2026-11-28T10:00:00+08:00"),  // 24 h of service: 11 + 12 + 1
                Case("2026-11-26T10:00:00+08:00", 302_400, "2026-12-03T10:00:00+08:00"),  // a week of service
                Case("2026-12-31T21:30:00+08:00", 7200, "2027-01-01T10:30:00+08:00"),  // year boundary
                Case("2028-02-28T21:30:00+08:00", 7200, "2028-02-29T10:30:00+08:00"),  // leap day
                Case("2026-11-26T10:00:00+08:00", 0, "2026-11-26T10:00:00+08:00"),
                Case("2026-11-26T12:30:00+08:00", 0, "2026-11-26T13:00:00+08:00"),  // a deadline lies in service time
                // start given in UTC (13:30 local)
                Case("2026-11-26T05:30:00+00:00", 3600, "2026-11-26T14:30:00+08:00"),
            ], zone: Self.shanghai)
    }

    func testTheSLASettingsDefaultsAreTheContractsCalendar() throws {
        let calendar = ServiceCalendar(SLASettings())
        XCTAssertEqual(calendar.zone.identifier, "Asia/Shanghai")
        XCTAssertEqual(calendar.days.count, 7)
        let start = Self.instant("2026-11-26T21:30:00+08:00")
        XCTAssertEqual(
            try XCTUnwrap(calendar.adding(serviceSeconds: 7200, to: start)),
            Self.instant("2026-11-27T10:30:00+08:00"))
    }

    func testARangeMayEndAtMidnight() {
        let ranges = [
            ServiceRange(startMinute: 9 * 60, endMinute: 12 * 60),
            ServiceRange(startMinute: 13 * 60, endMinute: 24 * 60),
        ]
        check(
            [
                Case("2026-11-26T23:00:00+08:00", 7200, "2026-11-27T10:00:00+08:00"),
                Case("2026-11-26T23:30:00+08:00", 1800, "2026-11-27T00:00:00+08:00"),
                Case("2026-11-26T22:00:00+08:00", 7200, "2026-11-27T00:00:00+08:00"),
                Case("2026-11-26T20:00:00+08:00", 21600, "2026-11-27T11:00:00+08:00"),
            ], zone: Self.shanghai, ranges: ranges)
    }

    func testARoundTheClockCalendarIsContinuousAcrossMidnight() {
        check(
            [
                Case("2026-11-26T23:00:00+08:00", 7200, "2026-11-27T01:00:00+08:00"),
                Case("2026-11-26T10:00:00+08:00", 86400, "2026-11-27T10:00:00+08:00"),
            ], zone: Self.shanghai, ranges: [ServiceRange(startMinute: 0, endMinute: 1440)])
    }

    /// Holidays are matched by day, as written: a month and day with leading zeros, and the
    /// last day of a year.
    func testAHolidayWrittenWithLeadingZerosOrAtTheYearsEndHasNoServiceTime() {
        check(
            [
                Case("2026-01-04T21:30:00+08:00", 7200, "2026-01-06T10:30:00+08:00"),  // over 5 January
                Case("2026-12-30T21:30:00+08:00", 7200, "2027-01-01T10:30:00+08:00"),  // over 31 December
            ], zone: Self.shanghai, holidays: ["2026-01-05", "2026-12-31"])
    }

    func testHolidaysHaveNoServiceTime() {
        check(
            [
                Case("2026-11-26T21:30:00+08:00", 7200, "2026-11-28T10:30:00+08:00"),
                Case("2026-11-27T10:00:00+08:00", 7200, "2026-11-28T11:00:00+08:00"),  // opened on the holiday
                Case("2026-11-26T10:00:00+08:00", 43200, "2026-11-28T10:00:00+08:00"),
            ], zone: Self.shanghai, holidays: ["2026-11-27"])
    }

    func testWeekdaysOnlyCarriesFridayEveningToMonday() {
        check(
            [
                Case("2026-11-27T21:30:00+08:00", 7200, "2026-11-30T10:30:00+08:00"),  // Friday evening
                Case("2026-11-28T10:00:00+08:00", 7200, "2026-11-30T11:00:00+08:00"),  // Saturday
                Case("2026-11-29T23:00:00+08:00", 3600, "2026-11-30T10:00:00+08:00"),  // Sunday night
                Case("2026-11-30T10:00:00+08:00", 7200, "2026-11-30T12:00:00+08:00"),  // Monday
                Case("2026-11-27T10:00:00+08:00", 86400, "2026-12-01T10:00:00+08:00"),  // Fri 11 h, Mon 12 h, Tue 1 h
            ], zone: Self.shanghai, days: Self.weekdays)
    }

    func testWeekdaysWithAMondayHolidayCarryOnToTuesday() {
        check(
            [
                Case("2026-11-27T21:30:00+08:00", 7200, "2026-12-01T10:30:00+08:00")
            ], zone: Self.shanghai, days: Self.weekdays, holidays: ["2026-11-30"])
    }

    func testDaylightSavingSpringForwardShortensARangeAcrossTwoToThree() {
        // Europe/Berlin skips 02:00-03:00 on 2026-03-29: 01:00-04:00 lasts two real hours that day.
        let ranges = [ServiceRange(startMinute: 60, endMinute: 240)]
        check(
            [
                Case("2026-03-29T00:00:00+01:00", 7200, "2026-03-29T04:00:00+02:00"),
                Case("2026-03-29T01:30:00+01:00", 3600, "2026-03-29T03:30:00+02:00"),
                Case("2026-03-29T00:00:00+01:00", 10800, "2026-03-30T02:00:00+02:00"),
                Case("2026-03-28T03:00:00+01:00", 7200, "2026-03-29T03:00:00+02:00"),
                Case("2026-03-28T01:00:00+01:00", 18000, "2026-03-29T04:00:00+02:00"),
            ], zone: Self.berlin, ranges: ranges)
    }

    func testDaylightSavingFallBackLengthensARangeAcrossTwoToThree() {
        // On 2026-10-25 02:00-03:00 happens twice: 01:00-04:00 lasts four real hours that day.
        let ranges = [ServiceRange(startMinute: 60, endMinute: 240)]
        check(
            [
                Case("2026-10-25T01:00:00+02:00", 10800, "2026-10-25T03:00:00+01:00"),
                Case("2026-10-25T01:00:00+02:00", 14400, "2026-10-25T04:00:00+01:00"),
                Case("2026-10-25T01:00:00+02:00", 18000, "2026-10-26T02:00:00+01:00"),
                Case("2026-10-25T02:30:00+02:00", 3600, "2026-10-25T02:30:00+01:00"),
                Case("2026-10-24T03:00:00+02:00", 7200, "2026-10-25T02:00:00+02:00"),
            ], zone: Self.berlin, ranges: ranges)
    }

    func testARangeOfExactlyTheSkippedHourHasNoServiceTimeThatDay() {
        let ranges = [ServiceRange(startMinute: 120, endMinute: 180)]
        check(
            [
                Case("2026-03-28T02:30:00+01:00", 3600, "2026-03-30T02:30:00+02:00")
            ], zone: Self.berlin, ranges: ranges)
    }

    func testARangeOfExactlyTheRepeatedHourLastsTwoHoursThatDay() {
        let ranges = [ServiceRange(startMinute: 120, endMinute: 180)]
        check(
            [
                Case("2026-10-25T02:00:00+02:00", 5400, "2026-10-25T02:30:00+01:00"),
                Case("2026-10-25T02:00:00+02:00", 7200, "2026-10-25T03:00:00+01:00"),
                Case("2026-10-25T02:00:00+02:00", 7260, "2026-10-26T02:01:00+01:00"),
            ], zone: Self.berlin, ranges: ranges)
    }

    func testACalendarWithoutServiceTimeHasNoDeadline() {
        let noDays = ServiceCalendar(zone: Self.shanghai, days: [], ranges: Self.defaultRanges)
        XCTAssertNil(noDays.adding(serviceSeconds: 7200, to: 0))
        let noHours = ServiceCalendar(zone: Self.shanghai, days: Weekday.allCases, ranges: [])
        XCTAssertNil(noHours.adding(serviceSeconds: 7200, to: 0))
    }

    func testServiceSecondsBetweenInstants() {
        let calendar = ServiceCalendar(SLASettings())
        func between(_ a: String, _ b: String) -> Double {
            calendar.serviceSeconds(from: Self.instant(a), to: Self.instant(b))
        }
        XCTAssertEqual(between("2026-11-26T10:00:00+08:00", "2026-11-26T15:00:00+08:00"), 14400)
        XCTAssertEqual(between("2026-11-26T21:30:00+08:00", "2026-11-27T10:30:00+08:00"), 7200)
        XCTAssertEqual(between("2026-11-26T12:10:00+08:00", "2026-11-26T12:50:00+08:00"), 0)
        XCTAssertEqual(between("2026-11-26T00:00:00+08:00", "2026-11-27T00:00:00+08:00"), 43200)
        XCTAssertEqual(between("2026-11-26T15:00:00+08:00", "2026-11-26T10:00:00+08:00"), 0)
    }
}
