import XCTest

@testable import FleetCore

/// The part on its own: which sites are closed, the changes its heap reports, who may sleep.
/// Times are `at(t)`: t seconds after Thursday 2026-11-26 10:00:00 Asia/Shanghai.
final class OpeningHoursTests: XCTestCase {
    static let shanghai = LocalClock(zone: TimeZone(identifier: "Asia/Shanghai") ?? .gmt)

    /// `tianshan` closes at t = 100 and opens at t = 300; `jinqiao` has no schedule.
    func configuration() -> Configuration {
        var config = Configuration()
        config.schedules["branch"] = ScheduleSettings(hours: [
            DailyRange(start: 9 * 3600, end: 10 * 3600 + 100),
            DailyRange(start: 10 * 3600 + 300, end: 21 * 3600),
        ])
        config.sites["tianshan"] = SiteSettings(schedule: "branch")
        config.sites["jinqiao"] = SiteSettings(name: "金桥")
        config.kinds["digital-human"]?.offHours = .sleep
        return config
    }

    func record(_ site: String, _ kind: String) -> DeviceRecord {
        DeviceRecord(id: "d", site: site, kind: kind, inventory: false, state: .online, stateSince: 0)
    }

    func testOnlySleepKindsAtAClosedScheduledSiteMaySleep() {
        let hours = OpeningHours(configuration(), clock: Self.shanghai, at: at(150).wall)
        XCTAssertEqual(hours.closedSites, ["tianshan"])
        XCTAssertTrue(hours.maySleep(record("tianshan", "digital-human")))
        XCTAssertFalse(hours.maySleep(record("tianshan", "face-gate")), "monitor kinds are unaffected")
        XCTAssertFalse(hours.maySleep(record("jinqiao", "digital-human")), "no schedule: always open")
        XCTAssertFalse(
            OpeningHours(configuration(), clock: Self.shanghai, at: at(50).wall)
                .maySleep(record("tianshan", "digital-human")))
    }

    func testChangesComeOnceAtTheirCalendarMoment() {
        var hours = OpeningHours(configuration(), clock: Self.shanghai, at: at(0).wall)
        XCTAssertEqual(hours.takeChanges(at: at(99.9).wall), [])
        XCTAssertEqual(
            hours.takeChanges(at: at(100).wall),
            [.init(site: "tianshan", opened: false, at: at(100).wall)])
        XCTAssertEqual(hours.takeChanges(at: at(101).wall), [])
        // A late look (a stalled loop) still reports when the calendar says it opened.
        XCTAssertEqual(hours.takeChanges(at: at(320).wall), [.init(site: "tianshan", opened: true, at: at(300).wall)])
        XCTAssertEqual(hours.closedSites, [])
    }

    func testAReloadReportsTheSitesWhoseStateItChanged() {
        var hours = OpeningHours(configuration(), clock: Self.shanghai, at: at(150).wall)
        var always = configuration()
        always.sites["tianshan"]?.schedule = nil
        XCTAssertEqual(
            hours.configure(always, clock: Self.shanghai, at: at(160).wall),
            [.init(site: "tianshan", opened: true, at: at(160).wall)])
        XCTAssertEqual(hours.configure(always, clock: Self.shanghai, at: at(170).wall), [])
        XCTAssertEqual(hours.takeChanges(at: at(100_000).wall), [], "an unscheduled site never changes")
    }

    func testTheSummaryOfAKioskThatDidNotWakeNamesTheOpeningAndTheGrace() {
        var hours = OpeningHours(configuration(), clock: Self.shanghai, at: at(0).wall)
        let format = TimeFormat(zone: Self.shanghai.zone)
        hours.startWaking(3, .init(from: at(300).wall, until: at(1200).wall))
        XCTAssertEqual(
            hours.didNotWakeSummary(3, format: format), "did not wake after opening at 10:05 (not heard within 900s)")
        hours.startWaking(4, .init(from: at(305).wall, until: at(365).wall))
        XCTAssertEqual(
            hours.didNotWakeSummary(4, format: format),
            "did not wake after opening at 10:05:05 (not heard within 60s)")
        XCTAssertEqual(hours.stopWaking(3)?.from, at(300).wall)
        XCTAssertEqual(hours.didNotWakeSummary(3, format: format), "did not wake after opening")
    }
}
