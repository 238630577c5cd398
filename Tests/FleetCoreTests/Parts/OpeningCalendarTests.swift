import Foundation
import XCTest

@testable import FleetCore

/// The opening-hours calendar on real zone rules: Europe/Berlin's 2026 switches (29 March 02:00
/// CET → 03:00 CEST, 25 October 03:00 CEST → 02:00 CET), a holiday, hours ending at 24:00.
final class OpeningCalendarTests: XCTestCase {
    static let berlin = LocalClock(zone: TimeZone(identifier: "Europe/Berlin") ?? .gmt)

    func t(_ text: String) -> Double { RFC3339.parse(text) ?? .nan }

    func calendar(_ hours: [String], days: [Weekday] = Weekday.allCases, holidays: [String] = []) -> OpeningCalendar {
        let ranges = hours.map { text -> DailyRange in
            let parts = text.split(separator: "-")
            return DailyRange(start: TimeOfDayText.seconds(parts[0]) ?? -1, end: TimeOfDayText.seconds(parts[1]) ?? -1)
        }
        return OpeningCalendar(ScheduleSettings(days: days, hours: ranges, holidays: holidays), clock: Self.berlin)
    }

    func testLocalTimesOnBothSidesOfTheSpringSwitch() {
        let clock = Self.berlin
        let saturday = LocalClock.day(year: 2026, month: 3, day: 28)
        XCTAssertEqual(LocalClock.weekday(ofDay: saturday), .sat)
        XCTAssertEqual(clock.instant(day: saturday, second: 9 * 3600), t("2026-03-28T08:00:00Z"))
        XCTAssertEqual(clock.instant(day: saturday + 1, second: 9 * 3600), t("2026-03-29T07:00:00Z"))
        // 02:30 does not exist on the 29th: the first instant after the gap, 03:00 CEST.
        XCTAssertEqual(clock.instant(day: saturday + 1, second: 2 * 3600 + 1800), t("2026-03-29T01:00:00Z"))
        XCTAssertEqual(clock.localDay(of: t("2026-03-29T07:00:00Z")).day, saturday + 1)
        XCTAssertEqual(clock.localDay(of: t("2026-03-29T07:00:00Z")).second, 9 * 3600)
    }

    func testARepeatedLocalTimeInAutumnIsItsFirstOccurrence() {
        let sunday = LocalClock.day(year: 2026, month: 10, day: 25)
        XCTAssertEqual(Self.berlin.instant(day: sunday, second: 2 * 3600 + 1800), t("2026-10-25T00:30:00Z"))
        XCTAssertEqual(Self.berlin.instant(day: sunday, second: 9 * 3600), t("2026-10-25T08:00:00Z"))
    }

    func testOpeningAndClosingFollowLocalTimeAcrossTheSpringSwitch() {
        let branch = calendar(["09:00-21:00"])
        // Saturday evening, closed: since 21:00 CET, until Sunday 09:00 CEST, an hour shorter night.
        let night = branch.phase(at: t("2026-03-28T22:00:00Z"))
        XCTAssertEqual(night, .init(open: false, since: t("2026-03-28T20:00:00Z"), until: t("2026-03-29T07:00:00Z")))
        let sunday = branch.phase(at: t("2026-03-29T07:00:00Z"))
        XCTAssertEqual(sunday, .init(open: true, since: t("2026-03-29T07:00:00Z"), until: t("2026-03-29T19:00:00Z")))
        XCTAssertFalse(branch.isOpen(at: t("2026-03-29T06:59:59Z")))
    }

    func testOpeningAndClosingFollowLocalTimeAcrossTheAutumnSwitch() {
        let branch = calendar(["09:00-21:00"])
        let night = branch.phase(at: t("2026-10-24T23:00:00Z"))
        XCTAssertEqual(night, .init(open: false, since: t("2026-10-24T19:00:00Z"), until: t("2026-10-25T08:00:00Z")))
        XCTAssertEqual(branch.phase(at: t("2026-10-25T12:00:00Z")).until, t("2026-10-25T20:00:00Z"))
    }

    func testARangeTheSpringSwitchSqueezesToNothingIsLeftOut() {
        let night = calendar(["02:00-02:30", "10:00-11:00"])
        let sunday = LocalClock.day(year: 2026, month: 3, day: 29)
        XCTAssertEqual(night.intervals(onDay: sunday).count, 1)
        XCTAssertEqual(night.intervals(onDay: sunday - 1).count, 2)
    }

    func testAHolidayStaysClosedAllDay() {
        let branch = calendar(["09:00-21:00"], holidays: ["2026-12-25"])
        let christmasEve = branch.phase(at: t("2026-12-24T21:00:00Z"))
        XCTAssertEqual(
            christmasEve,
            .init(
                open: false, since: t("2026-12-24T20:00:00Z"),
                until: t("2026-12-26T08:00:00Z")))
        XCTAssertFalse(branch.isOpen(at: t("2026-12-25T12:00:00Z")))
    }

    func testDaysNotListedAreClosed() {
        let weekdays = calendar(["09:00-21:00"], days: [.mon, .tue, .wed, .thu, .fri])
        // Friday 2026-11-27 evening → Monday 2026-11-30 09:00 CET.
        XCTAssertEqual(weekdays.phase(at: t("2026-11-27T21:00:00Z")).until, t("2026-11-30T08:00:00Z"))
    }

    func testHoursEndingAtMidnightRunOnIntoTheNextDaysFirstRange() {
        let late = calendar(["00:00-02:00", "18:00-24:00"])
        let evening = late.phase(at: t("2026-11-26T22:59:00Z"))  // 23:59 local
        XCTAssertEqual(evening, .init(open: true, since: t("2026-11-26T17:00:00Z"), until: t("2026-11-27T01:00:00Z")))
        let afterMidnight = late.phase(at: t("2026-11-27T00:30:00Z"))
        XCTAssertEqual(afterMidnight.since, t("2026-11-26T17:00:00Z"), "nothing closes at midnight")
        XCTAssertEqual(
            late.phase(at: t("2026-11-27T02:00:00Z")),
            .init(open: false, since: t("2026-11-27T01:00:00Z"), until: t("2026-11-27T17:00:00Z")))
    }

    func testTouchingRangesAreOneOpening() {
        let split = calendar(["09:00-12:00", "12:00-21:00"])
        XCTAssertEqual(split.phase(at: t("2026-11-26T10:00:00Z")).until, t("2026-11-26T20:00:00Z"))
    }

    func testHoursWithSecondsAndARangeEndingAtMidnightOnAHolidayEve() {
        let branch = calendar(["09:00:30-24:00"], holidays: ["2026-11-27"])
        XCTAssertEqual(
            branch.phase(at: t("2026-11-26T12:00:00Z")),
            .init(open: true, since: t("2026-11-26T08:00:30Z"), until: t("2026-11-26T23:00:00Z")))
    }

    func testAnAlwaysOpenScheduleHasNoNextClosing() {
        let always = calendar(["00:00-24:00"])
        let phase = always.phase(at: t("2026-11-26T12:00:00Z"))
        XCTAssertTrue(phase.open)
        XCTAssertNil(phase.until)
        XCTAssertNil(phase.since)
    }
}
