import FleetCore
import Foundation
import XCTest

/// Recurring maintenance through the CLI and the broker (SPEC §10): a window whose occurrence
/// covers now puts its site in `maintenance` with no incident, is listed with `every` and
/// `next_start`, survives a restart, and a bad `--every` is a usage error that adds nothing.
final class RecurringMaintenanceTests: EndToEndTestCase {
    /// `HH:MM` in UTC (the test's `sla.timezone`), `minutes` from now.
    func minute(_ minutes: Int) -> String {
        let second = (Int(Date().timeIntervalSince1970) / 60 + minutes) * 60
        return TimeOfDayText.text(((second % 86_400) + 86_400) % 86_400)
    }

    func testARecurringWindowCoveringNowPutsTheSiteInMaintenanceWithNoIncidentAndSurvivesARestart() throws {
        try writeConfig(grace: 1, kinds: ["face-gate": "interval_s = 0.3"], extra: "[sla]\ntimezone = \"UTC\"")
        try startDaemon()
        try startSim(["--sites", "2", "--kinds", "face-gate", "--interval", "0.3", "--at", "4:kill:gate-site01-01"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("gate-site01-01") == "online" })

        // An occurrence from a minute ago to ten minutes from now (past midnight, it runs overnight).
        let every = "daily \(minute(-1))-\(minute(10))"
        let added = try cli(["maintenance", "add", "--site", "site01", "--every", every, "--reason", "nightly backup"])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.hasPrefix("MW-"), added.stdout)
        XCTAssertTrue(try waitUntil(3) { try deviceState("gate-site01-01") == "maintenance" })
        XCTAssertEqual(try deviceState("gate-site02-01"), "online", "another site is not covered")

        let listed = try maintenanceWindows()
        XCTAssertEqual(listed.count, 1)
        let window = try XCTUnwrap(listed.first)
        XCTAssertEqual(window.every, every)
        XCTAssertTrue(window.active)
        XCTAssertEqual(
            window.nextStart, window.from, "added inside an occurrence: in force from the moment it was added")
        XCTAssertEqual(window.until.prefix(10), "9999-12-31", "no --until: it recurs for good")
        let table = try cli(["maintenance", "list"]).stdout
        XCTAssertTrue(table.contains(every) && table.contains("active now"), table)

        // A later occurrence: next_start is when it comes; it covers nothing meanwhile.
        let laterStart = minute(30)
        let later = "daily \(laterStart)-\(minute(31))"
        let second = try cli(["maintenance", "add", "--device", "gate-site02-01", "--every", later, "--until", "30d"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let planned = try XCTUnwrap(try maintenanceWindows().first { $0.every == later })
        XCTAssertFalse(planned.active)
        XCTAssertTrue(planned.nextStart?.hasSuffix("T\(laterStart):00+00:00") == true, "\(planned)")
        XCTAssertEqual(try deviceState("gate-site02-01"), "online")
        XCTAssertEqual(try cli(["maintenance", "remove", planned.id]).status, 0)

        // A bad --every is a usage error, and nothing is added.
        let bad = try cli(["maintenance", "add", "--site", "site01", "--every", "nightly 21:00-09:00"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--every has \"nightly\""), bad.stderr)
        XCTAssertEqual(try maintenanceWindows().map(\.id), [window.id])
        XCTAssertEqual(try cli(["maintenance", "add", "--site", "site01"]).status, 2, "neither --until nor --every")

        // The gate dies under the window (at 4 s): no incident, also after a restart.
        XCTAssertTrue(try waitUntil(10) { try daemonStatus().messages.accepted > 0 })
        waitPast(4, "the gate's last will at 4 s into the run")
        daemon?.stop()
        try startDaemon()
        waitPast(2, "startup_grace_s (1 s) after the restart, when an uncovered dead gate would be offline")
        try waitForEngineTurns(1)
        XCTAssertEqual(try maintenanceWindows().map(\.every), [every], "the window survived the restart")
        XCTAssertEqual(try deviceState("gate-site01-01"), "maintenance")
        XCTAssertEqual(alertLines(), [])
        XCTAssertEqual(try openIncidents().count, 0)
    }
}
