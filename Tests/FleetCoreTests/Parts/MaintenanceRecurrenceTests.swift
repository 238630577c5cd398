import XCTest

@testable import FleetCore

/// Recurring maintenance (`--every "DAYS HH:MM-HH:MM"`): the text, the occurrences in local time
/// (overnight ranges, a daylight-saving switch), `next_start`, and the calendar covering devices on
/// each occurrence.
final class MaintenanceRecurrenceTests: XCTestCase {
    static let shanghai = OpeningHoursTests.shanghai
    static let berlin = OpeningCalendarTests.berlin

    func t(_ text: String) -> Double { RFC3339.parse(text) ?? .nan }

    func every(_ text: String) throws -> MaintenanceRecurrence { try MaintenanceRecurrence.parse(text).get() }

    func testTheTextIsReadAndListedInOneSpelling() throws {
        XCTAssertEqual(try every("daily 21:00-09:00").text, "daily 21:00-09:00")
        XCTAssertEqual(try every("Sun,MON 02:00-04:00").text, "sun,mon 02:00-04:00")
        XCTAssertEqual(try every("sun 02:00:30-24:00").text, "sun 02:00:30-24:00")
        XCTAssertEqual(try every("daily 21:00-09:00").days, Set(Weekday.allCases))
    }

    func testABadRecurrenceSaysWhatIsWrong() {
        let cases: [(String, String)] = [
            (
                "funday 02:00-04:00",
                "has \"funday\"; DAYS is daily or a comma list of mon, tue, wed, thu, fri, sat, sun"
            ),
            ("mon,,tue 02:00-04:00", "has \"\"; DAYS is daily or a comma list of mon, tue, wed, thu, fri, sat, sun"),
            ("mon,mon 02:00-04:00", "lists mon twice"),
            ("daily", "must be \"DAYS HH:MM-HH:MM\""),
            ("daily 02:00 04:00", "must be \"DAYS HH:MM-HH:MM\""),
            ("daily 2:00-4:00", "has \"2:00-4:00\"; use HH:MM-HH:MM (an end before the start runs past midnight)"),
            ("daily 24:00-02:00", "has \"24:00-02:00\"; use HH:MM-HH:MM (an end before the start runs past midnight)"),
            ("daily 02:00-02:00", "has an empty range \"02:00-02:00\""),
        ]
        for (text, reason) in cases {
            XCTAssertEqual(MaintenanceRecurrence.parse(text).failure?.description, reason, text)
        }
    }

    func testAnOvernightOccurrenceBelongsToTheDayItStarts() throws {
        let sundayNight = try every("sun 22:00-06:00")
        let clock = Self.shanghai
        // 2026-11-29 is a Sunday.
        XCTAssertFalse(sundayNight.covers(t("2026-11-29T21:59:59+08:00"), clock: clock))
        XCTAssertTrue(sundayNight.covers(t("2026-11-29T22:00:00+08:00"), clock: clock))
        XCTAssertTrue(sundayNight.covers(t("2026-11-30T05:59:59+08:00"), clock: clock), "Monday morning still")
        XCTAssertFalse(sundayNight.covers(t("2026-11-30T06:00:00+08:00"), clock: clock))
        XCTAssertFalse(sundayNight.covers(t("2026-11-30T23:00:00+08:00"), clock: clock), "Monday night is not listed")
    }

    func testOccurrencesFollowLocalTimeAcrossTheSpringSwitch() throws {
        let night = try every("daily 02:00-04:00")
        // 29 March: 02:00-03:00 does not exist; the window runs 03:00-04:00 CEST, one hour.
        let occurrence = night.current(orNextAfter: t("2026-03-28T23:00:00Z"), clock: Self.berlin)
        XCTAssertEqual(occurrence?.start, t("2026-03-29T01:00:00Z"))
        XCTAssertEqual(occurrence?.end, t("2026-03-29T02:00:00Z"))
        XCTAssertEqual(
            night.current(orNextAfter: t("2026-03-27T23:00:00Z"), clock: Self.berlin)?.start,
            t("2026-03-28T01:00:00Z"), "the day before, in CET")
    }

    func testNextStartIsTheRunningOccurrenceOrTheNextWithinTheWindow() throws {
        let clock = Self.shanghai
        var window = MaintenanceWindow(
            site: "tianshan", from: t("2026-11-26T10:00:00+08:00"),
            until: MaintenanceWindow.noEnd, every: try every("daily 21:00-09:00"))
        XCTAssertEqual(
            window.nextStart(after: t("2026-11-26T12:00:00+08:00"), clock: clock), t("2026-11-26T21:00:00+08:00"))
        XCTAssertEqual(
            window.nextStart(after: t("2026-11-27T02:00:00+08:00"), clock: clock), t("2026-11-26T21:00:00+08:00"))
        XCTAssertTrue(window.isActive(at: t("2026-11-27T02:00:00+08:00"), clock: clock))
        // Added at 23:00 inside an occurrence: in force from then on, and next_start says so.
        window.from = t("2026-11-26T23:00:00+08:00")
        XCTAssertEqual(window.nextStart(after: window.from, clock: clock), window.from)
        XCTAssertFalse(window.isActive(at: t("2026-11-26T22:00:00+08:00"), clock: clock))
        window.until = t("2026-11-27T08:00:00+08:00")
        XCTAssertNil(window.nextStart(after: t("2026-11-27T08:00:00+08:00"), clock: clock))
        XCTAssertTrue(window.hasEnd)
        XCTAssertFalse(window.isActive(at: t("2026-11-27T08:30:00+08:00"), clock: clock), "past its end")
    }

    func testTheCalendarCoversASitesDevicesOnEachOccurrence() throws {
        var calendar = MaintenanceCalendar(windows: [], nextID: 1, clock: Self.shanghai)
        var registry = DeviceRegistry(kinds: KindSettings.builtIn, maxDevices: 10)
        _ = registry.insert(robotRecord("a"))
        _ = registry.insert(robotRecord("b", site: "jinqiao"))
        // at(0) is Thursday 10:00; every day 10:01-10:02.
        _ = try calendar.add(
            MaintenanceWindow(
                site: "tianshan", from: at(0).wall, until: MaintenanceWindow.noEnd,
                every: try every("daily 10:01-10:02")), at: at(0)
        ).get()
        XCTAssertEqual(calendar.changes(at: at(59), in: registry).entering, [])
        XCTAssertEqual(calendar.changes(at: at(60), in: registry).entering, [0])
        XCTAssertEqual(calendar.changes(at: at(120), in: registry).leaving, [0])
        XCTAssertEqual(calendar.windows.count, 1, "a recurring window stays for its next occurrence")
        XCTAssertEqual(calendar.changes(at: at(86_460), in: registry).entering, [0])
    }

    func testARecurrenceWithoutAnOccurrenceBeforeItsEndIsRefused() throws {
        var calendar = MaintenanceCalendar(windows: [], nextID: 1, clock: Self.shanghai)
        let result = calendar.add(
            MaintenanceWindow(
                site: "tianshan", from: at(0).wall, until: at(3600).wall,
                every: try every("daily 21:00-22:00")), at: at(0))
        XCTAssertEqual(result.failureText, "\"daily 21:00-22:00\" does not occur before the window ends (--until)")
        XCTAssertTrue(calendar.windows.isEmpty)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { e } else { nil }
    }
}
