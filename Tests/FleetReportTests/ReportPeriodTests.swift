import FleetCore
import Foundation
import XCTest

@testable import FleetReport

/// Periods in the SLA zone, the days of the charts, and the service timeline's arithmetic.
final class ReportPeriodTests: XCTestCase {
    typealias F = ReportFixture

    func testAMonthRunsFromLocalMidnightToLocalMidnight() throws {
        let p = try XCTUnwrap(ReportPeriod.month("2026-11", zone: F.zone))
        XCTAssertEqual(p.from, F.at("2026-11-01 00:00"))
        XCTAssertEqual(p.to, F.at("2026-12-01 00:00"))
        XCTAssertEqual(ReportPeriod.month("2026-12", zone: F.zone)?.to, F.at("2027-01-01 00:00"))
        XCTAssertEqual(p, ReportFixture().period)
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "2026-11-01", ""] {
            XCTAssertNil(ReportPeriod.month(bad, zone: F.zone), bad)
        }
    }

    func testTheDefaultPeriodIsTheLastFullMonth() {
        XCTAssertEqual(ReportPeriod.lastFullMonth(before: F.at("2026-12-01 00:30"), zone: F.zone).month, "2026-11")
        XCTAssertEqual(ReportPeriod.lastFullMonth(before: F.at("2027-01-15 12:00"), zone: F.zone).month, "2026-12")
        // 2026-11-30T17:00Z is already 1 December in Shanghai.
        XCTAssertEqual(
            ReportPeriod.lastFullMonth(before: F.at("2026-12-01 01:00"), zone: F.zone).from,
            F.at("2026-11-01 00:00"))
    }

    func testADateIsItsLocalMidnight() {
        XCTAssertEqual(ReportPeriod.localMidnight("2026-11-15", zone: F.zone), F.at("2026-11-15 00:00"))
        XCTAssertNil(ReportPeriod.localMidnight("2026-02-30", zone: F.zone))
        XCTAssertNil(ReportPeriod.localMidnight("2026-11-15T00:00", zone: F.zone))
    }

    /// A DST switch makes a 23-hour day; the days still start at local midnight.
    func testDaysFollowLocalMidnightsAcrossDaylightSaving() throws {
        let berlin = try XCTUnwrap(TimeZone(identifier: "Europe/Berlin"))
        let march = try XCTUnwrap(ReportPeriod.month("2026-03", zone: berlin))
        let days = ReportDays(march, zone: berlin)
        XCTAssertEqual(days.count, 31)
        XCTAssertEqual(days.dates.last, "2026-03-31")
        XCTAssertEqual(days.bounds[29] - days.bounds[28], 23 * 3600, "29 March 2026 lasts 23 hours")
        XCTAssertEqual(days.index(of: days.bounds[28] + 1), 28)
        XCTAssertNil(days.index(of: march.to))
    }

    func testAPeriodThatIsNotWholeDaysCutsItsFirstAndLastDay() {
        let p = ReportPeriod(from: F.at("2026-11-03 12:00"), to: F.at("2026-11-05 06:00"))
        let days = ReportDays(p, zone: F.zone)
        XCTAssertEqual(days.dates, ["2026-11-03", "2026-11-04", "2026-11-05"])
        XCTAssertEqual(days.bounds, [p.from, F.at("2026-11-04 00:00"), F.at("2026-11-05 00:00"), p.to])
    }

    /// The timeline's sums agree with the calendar's own count for spans in every position.
    func testTheTimelineAgreesWithTheServiceCalendar() {
        var sla = SLASettings()
        sla.serviceDays = [.mon, .tue, .wed, .thu, .fri]
        sla.holidays = ["2026-11-11"]
        let calendar = ServiceCalendar(sla)
        let from = F.at("2026-11-01 00:00")
        let to = F.at("2026-12-01 00:00")
        let timeline = ServiceTimeline(calendar, from: from, to: to)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let a = Double.random(in: from..<to, using: &generator)
            let b = Double.random(in: a..<to, using: &generator)
            XCTAssertEqual(timeline.seconds(from: a, to: b), calendar.serviceSeconds(from: a, to: b), accuracy: 1e-6)
        }
        XCTAssertEqual(timeline.total, 20 * 12 * 3600, "21 weekdays in November 2026, one a holiday")
    }
}
