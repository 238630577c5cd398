import Foundation
import XCTest

/// The repair clock through the broker (SPEC §6): `resolve_by` on every incident, `parts` and
/// `plan`, and one SLA-BREACH per missed deadline, in the alert log and the timeline.
final class RepairClockTests: EndToEndTestCase {
    /// One never-heard inventory locker: offline at the end of the 1 s grace. The service
    /// calendar is the whole day, so the clocks here are only the repair clock's; SLA-WARNING
    /// is off (its own tests are NotificationTests and SLAWarningTests), so the timelines below
    /// are exactly the repair clock's lines.
    private func openLockerIncident(resolveWithin: Double, planWithin: Double) throws -> String {
        try writeConfig(
            grace: 1,
            extra: """
                [sla]
                service_hours = ["00:00-24:00"]
                resolve_within_s = \(resolveWithin)
                plan_within_s = \(planWithin)
                warn_before_s = 0

                [[devices]]
                id = "locker-7"
                site = "tianshan"
                kind = "pickup-locker"
                """)
        try startDaemon()
        XCTAssertTrue(try waitUntil(8) { try incidents().count == 1 })
        let id = try XCTUnwrap(try incidents().first?["id"] as? String)
        let open = try XCTUnwrap(alertLines(event: "OPEN").first)
        XCTAssertTrue(open.contains(" resolve_by="), open)
        return id
    }

    private func breaches(_ id: String) -> [String] {
        alertLines(event: "SLA-BREACH").filter { $0.split(separator: " ")[3] == Substring(id) }
            .compactMap { $0.split(separator: " ").first { $0.hasPrefix("sla=") }.map(String.init) }
    }

    func testAnIncidentStillOpenAtResolveByBreachesItOnce() throws {
        let id = try openLockerIncident(resolveWithin: 2, planWithin: 60)
        let incident = try XCTUnwrap(try incidents().first)
        XCTAssertNotNil(incident["resolve_by"] as? String)
        XCTAssertTrue(waitUntil(8) { breaches(id) == ["sla=resolve"] }, alertLines().joined(separator: "\n"))
        Thread.sleep(forTimeInterval: 2.5)  // a second breach would come within a second
        XCTAssertEqual(breaches(id), ["sla=resolve"])
        let detail = try XCTUnwrap(try cliJSON(["incident", id]) as? [String: Any])
        let events = (detail["timeline"] as? [[String: Any]])?.compactMap { $0["event"] as? String }
        XCTAssertEqual(events, ["OPEN", "SLA-BREACH"])
    }

    func testPartsStopTheRepairClockAndAMissingPlanBreachesPlan() throws {
        let id = try openLockerIncident(resolveWithin: 3, planWithin: 4)
        let parts = try cli(["parts", id, "--by", "zhang.min", "--note", "door controller board"])
        XCTAssertEqual(parts.status, 0, parts.stderr)
        let marked = try XCTUnwrap(try incidents().first)
        XCTAssertNil(marked["resolve_by"] as? String, "the repair clock stopped")
        XCTAssertNotNil(marked["plan_by"] as? String)
        XCTAssertTrue(waitUntil(10) { breaches(id) == ["sla=plan"] }, alertLines().joined(separator: "\n"))
        Thread.sleep(forTimeInterval: 2)  // past the 3 s repair clock too
        XCTAssertEqual(breaches(id), ["sla=plan"])
        let partsLine = try XCTUnwrap(alertLines(event: "PARTS").first)
        XCTAssertTrue(partsLine.contains("by=zhang.min") && partsLine.contains(" plan_by="), partsLine)
    }

    func testPartsAndAPlanInTimeBreachNothing() throws {
        let id = try openLockerIncident(resolveWithin: 3, planWithin: 5)
        XCTAssertEqual(try cli(["plan", id, "--by", "zhang.min", "new board"]).status, 1, "plan needs parts first")
        XCTAssertEqual(try cli(["parts", id, "--by", "zhang.min"]).status, 0)
        XCTAssertEqual(try cli(["parts", id, "--by", "zhang.min"]).status, 1, "parts only once")
        XCTAssertEqual(try cli(["plan", id, "--by", "zhang.min", "new board by Friday"]).status, 0)
        Thread.sleep(forTimeInterval: 6)  // past both clocks
        XCTAssertEqual(breaches(id), [])
        let detail = try XCTUnwrap(try cliJSON(["incident", id]) as? [String: Any])
        let events = (detail["timeline"] as? [[String: Any]])?.compactMap { $0["event"] as? String }
        XCTAssertEqual(events, ["OPEN", "PARTS", "PLAN"])
        XCTAssertNotNil(detail["planned_at"] as? String)
    }
}
