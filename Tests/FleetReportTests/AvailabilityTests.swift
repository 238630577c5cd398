import FleetCore
import XCTest

@testable import FleetReport

/// SPEC §13's availability figures on hand-built histories with known answers.
final class AvailabilityTests: XCTestCase {
    typealias F = ReportFixture
    let november = 30 * F.serviceDay

    func testTheMonthHasThirtyDaysOfTwelveServiceHours() {
        let r = ReportFixture().report
        XCTAssertEqual(r.serviceSeconds, november)
        XCTAssertEqual(r.days.count, 30)
    }

    func testADeviceUpAllMonthIsFullyAvailable() throws {
        var f = ReportFixture()
        f.device("gate-01")
        let d = try XCTUnwrap(f.report.device("gate-01"))
        XCTAssertEqual(d.eligible, november)
        XCTAssertEqual(d.downtime, 0)
        XCTAssertEqual(d.availability, 1)
    }

    /// Down 11:30–13:30: only 11:30–12:00 and 13:00–13:30 are service time.
    func testDowntimeAcrossTheLunchBreakCountsOnlyServiceTime() throws {
        var f = ReportFixture()
        f.device("gate-01", [("2026-11-03 11:30", "offline"), ("2026-11-03 13:30", "online")])
        let d = try XCTUnwrap(f.report.device("gate-01"))
        XCTAssertEqual(d.downtime, 60 * F.minute)
        XCTAssertEqual(d.eligible, november)
        XCTAssertEqual(try XCTUnwrap(d.availability), 1 - 3600 / november, accuracy: 1e-12)
        XCTAssertEqual(d.dailyDowntime[2], 3600, "all of it on 3 November")
    }

    /// Down 21:00 → 10:00 next day: 21:00–22:00 and 09:00–10:00, on two days.
    func testDowntimeAcrossMidnightIsSplitBetweenTheDays() throws {
        var f = ReportFixture()
        f.device("gate-01", [("2026-11-10 21:00", "offline"), ("2026-11-11 10:00", "online")])
        let d = try XCTUnwrap(f.report.device("gate-01"))
        XCTAssertEqual(d.downtime, 2 * F.hour)
        XCTAssertEqual(d.dailyDowntime[9], F.hour)
        XCTAssertEqual(d.dailyDowntime[10], F.hour)
    }

    /// Offline 10:00–11:00, then maintenance 11:00–14:00 (2 h of it in service time), then online.
    func testMaintenanceIsNotEligibleTime() throws {
        var f = ReportFixture()
        f.device(
            "gate-01",
            [
                ("2026-11-05 10:00", "offline"), ("2026-11-05 11:00", "maintenance"),
                ("2026-11-05 14:00", "online"),
            ])
        let d = try XCTUnwrap(f.report.device("gate-01"))
        XCTAssertEqual(d.downtime, F.hour)
        XCTAssertEqual(d.maintenance, 2 * F.hour)
        XCTAssertEqual(d.eligible, november - 2 * F.hour)
        XCTAssertEqual(try XCTUnwrap(d.availability), 1 - F.hour / (november - 2 * F.hour), accuracy: 1e-12)
    }

    /// A kiosk asleep from 20:00 to 10:00 every night of the month (2 + 1 service hours a night).
    func testSleepingIsNotEligibleTime() throws {
        var f = ReportFixture()
        var moves: [(String, String)] = []
        for day in 1...30 {
            moves.append((String(format: "2026-11-%02d 10:00", day), "online"))
            moves.append((String(format: "2026-11-%02d 20:00", day), "sleeping"))
        }
        f.device("dh-01", kind: "digital-human", initial: "sleeping", moves)
        let d = try XCTUnwrap(f.report.device("dh-01"))
        // Each day 09:00–10:00 and 20:00–22:00 asleep: 3 h of its 12.
        XCTAssertEqual(d.sleeping, 30 * 3 * F.hour)
        XCTAssertEqual(d.eligible, 30 * 9 * F.hour)
        XCTAssertEqual(d.downtime, 0)
        XCTAssertEqual(d.availability, 1)
    }

    /// An outage from 31 October 21:00 to 1 November 10:00: each month's report has its part.
    func testAPeriodBoundaryCutsAnOutageInTwo() throws {
        let moves = [("2026-10-31 21:00", "offline"), ("2026-11-01 10:00", "online")]
        var november = ReportFixture()
        november.device("gate-01", moves)
        var october = ReportFixture()
        october.period = try XCTUnwrap(ReportPeriod.month("2026-10", zone: F.zone))
        october.historySince = F.at("2026-09-01 00:00")
        october.device("gate-01", moves)
        XCTAssertEqual(try XCTUnwrap(november.report.device("gate-01")).downtime, F.hour, "09:00–10:00 on 1 November")
        XCTAssertEqual(try XCTUnwrap(october.report.device("gate-01")).downtime, F.hour, "21:00–22:00 on 31 October")
        XCTAssertEqual(try XCTUnwrap(october.report.device("gate-01")).eligible, 31 * F.serviceDay)
    }

    /// Registered on 16 November at 09:00 (its first state): eligible from then only.
    func testADeviceCountsOnlyFromWhenItExisted() throws {
        var f = ReportFixture()
        f.device("gate-09", initial: nil, [("2026-11-16 09:00", "unknown"), ("2026-11-16 09:00", "online")])
        f.changes["gate-09"] = [DeviceStateChange(time: F.at("2026-11-16 09:00"), state: "online")]
        let d = try XCTUnwrap(f.report.device("gate-09"))
        XCTAssertEqual(d.eligible, 15 * F.serviceDay)
    }

    /// State history began on 11 November 00:00 (the upgrade): nothing before counts.
    func testNothingBeforeTheStartOfStateHistoryCounts() throws {
        var f = ReportFixture()
        f.historySince = F.at("2026-11-11 00:00")
        f.device(
            "gate-01", initial: nil,
            [
                ("2026-11-11 00:00", "online"), ("2026-11-12 09:00", "offline"),
                ("2026-11-12 10:00", "online"),
            ])
        let r = f.report
        XCTAssertEqual(r.dataFrom, F.at("2026-11-11 00:00"))
        let d = try XCTUnwrap(r.device("gate-01"))
        XCTAssertEqual(d.eligible, 20 * F.serviceDay)
        XCTAssertEqual(d.downtime, F.hour)
    }

    /// A site's availability is 1 − Σ downtime / Σ eligible, not the mean of its devices'.
    func testSitesKindsAndTheFleetWeighByEligibleTime() throws {
        var f = ReportFixture()
        f.device("gate-01", [("2026-11-02 09:00", "offline"), ("2026-11-02 21:00", "online")])  // 11 h down
        // In maintenance all month but the last day: 12 h eligible, 1 h down.
        f.device(
            "gate-02", initial: "maintenance",
            [
                ("2026-11-30 00:00", "online"), ("2026-11-30 09:00", "offline"),
                ("2026-11-30 10:00", "online"),
            ])
        f.device("robot-01", site: "central", kind: "delivery-robot")
        let r = f.report
        let site = try XCTUnwrap(r.sites.first { $0.id == "tianshan" })
        XCTAssertEqual(site.total.downtime, 12 * F.hour)
        XCTAssertEqual(site.total.eligible, november + F.serviceDay)
        XCTAssertEqual(
            try XCTUnwrap(site.total.availability), 1 - 12 * F.hour / (november + F.serviceDay), accuracy: 1e-12)
        let kind = try XCTUnwrap(r.kinds.first { $0.id == "face-gate" })
        XCTAssertEqual(kind.total.devices, 2)
        XCTAssertEqual(kind.total.availability, site.total.availability)
        XCTAssertEqual(r.fleet.devices, 3)
        XCTAssertEqual(
            try XCTUnwrap(r.fleet.availability), 1 - 12 * F.hour / (2 * november + F.serviceDay),
            accuracy: 1e-12)
        XCTAssertEqual(r.fleet.dailyAvailability[1].map { ($0 * 1e9).rounded() }, ((1 - 11.0 / 24) * 1e9).rounded())
    }

    func testADeviceInMaintenanceAllMonthHasNoAvailability() throws {
        var f = ReportFixture()
        f.device("gate-01", initial: "maintenance")
        let d = try XCTUnwrap(f.report.device("gate-01"))
        XCTAssertEqual(d.eligible, 0)
        XCTAssertNil(d.availability)
        XCTAssertNil(f.report.fleet.availability)
    }

    /// `unknown` (in inventory, not heard yet) and `degraded` are eligible and not down.
    func testUnknownAndDegradedAreEligibleButNotDown() throws {
        var f = ReportFixture()
        f.device("gate-01", initial: "unknown", [("2026-11-15 00:00", "degraded")])
        let d = try XCTUnwrap(f.report.device("gate-01"))
        XCTAssertEqual(d.eligible, november)
        XCTAssertEqual(d.downtime, 0)
    }
}
