import FleetCore
import Foundation
import XCTest

/// Opening hours through the broker (SPEC §10): a `sleep` kiosk at a closed site sleeps while a
/// `monitor` gate beside it goes offline; a SIGHUP that opens the site soon wakes a silent kiosk
/// at opening + `wake_grace_s`, not before; a branch closing with its kiosks off opens no
/// outage. Schedules are written in UTC (`sla.timezone`) relative to the test's own clock.
final class ClosedBranchTests: EndToEndTestCase {
    static let kioskSleeps = "off_hours = \"sleep\"\nwake_grace_s = 2"

    /// The local time of day (UTC) of a wall time, as the schedule and the daemon's messages write
    /// it: `10:22:35`, or `10:22` on a whole minute.
    func clock(_ wall: Double) -> String { TimeOfDayText.text(Int(wall.rounded(.down)) % 86_400) }

    func now() -> Double { Date().timeIntervalSince1970 }

    /// Schedules here are today's ranges: wait past midnight if the test would run into it.
    func waitForRoomBeforeMidnight(_ seconds: Double) {
        let left = 86_400 - now().truncatingRemainder(dividingBy: 86_400)
        if left < seconds + 5 { Thread.sleep(forTimeInterval: left + 1) }
    }

    func schedule(_ hours: [String]) -> String {
        """
        [sla]
        timezone = "UTC"

        [schedules.branch]
        hours = [\(hours.map { "\"\($0)\"" }.joined(separator: ", "))]

        [sites.site01]
        schedule = "branch"
        """
    }

    func testAtAClosedSiteASleepKioskSleepsAndOpensNothingWhileAMonitorGateGoesOffline() throws {
        waitForRoomBeforeMidnight(600)
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        let opens = now() + 600
        try writeConfig(
            grace: 1, kinds: ["digital-human": Self.kioskSleeps], extra: schedule(["\(clock(opens))-24:00"]))
        try startDaemon()
        try startSim([
            "--sites", "1", "--kinds", "digital-human,face-gate", "--interval", "0.3",
            "--at", "2:kill:kiosk-site01-01,gate-site01-01",
        ])
        XCTAssertTrue(
            try waitUntil(15) {
                try alerts(event: "OPEN").count == 1 && deviceState("kiosk-site01-01") == "sleeping"
            }, alertLines().joined(separator: "\n"))
        // Both last wills arrived together; the kiosk's line would have come with the gate's.
        try waitForEngineTurns(2)
        XCTAssertEqual(try alertSummaries(), ["OPEN P2 rule=offline site=site01 kind=face-gate device=gate-site01-01"])
        XCTAssertEqual(try openIncidents().map(\.device), ["gate-site01-01"])

        // Everywhere an operator looks.
        let sleeping = try deviceList(["--state", "sleeping"])
        XCTAssertEqual(sleeping.map(\.id), ["kiosk-site01-01"])
        XCTAssertEqual(sleeping.first?.schedule, "branch")
        XCTAssertEqual(sleeping.first.flatMap { $0.nextOpen.flatMap(RFC3339.parse) }, opens.rounded(.down))
        XCTAssertEqual(try daemonStatus().devices["sleeping"], 1)
        XCTAssertTrue(
            try waitUntil(3) { try HTTPProbe.metrics(port: port)["fleetwatch_devices{state=\"sleeping\"}"] == 1 })
        let table = try cli(["devices", "--site", "site01"]).stdout
        XCTAssertTrue(table.contains("branch: closed, opens "), table)
        let detail = try cli(["device", "kiosk-site01-01"])
        XCTAssertEqual(detail.status, 0, detail.stderr)
        XCTAssertTrue(detail.stdout.contains("hours      branch: closed, opens "), detail.stdout)
    }

    func testAReloadedScheduleThatOpensSoonMakesAStillSilentKioskOfflineAtOpeningPlusGraceNotBefore() throws {
        waitForRoomBeforeMidnight(600)
        try writeConfig(
            grace: 1, kinds: ["digital-human": Self.kioskSleeps],
            extra: schedule(["\(clock(now() + 600))-24:00"]))
        let daemon = try startDaemon()
        try startSim([
            "--sites", "1", "--kinds", "digital-human", "--interval", "0.3", "--at", "2:kill:kiosk-site01-01",
        ])
        XCTAssertTrue(try waitUntil(15) { try deviceState("kiosk-site01-01") == "sleeping" })

        let opening = (now() + 4).rounded(.down)
        try writeConfig(
            grace: 1, kinds: ["digital-human": Self.kioskSleeps], extra: schedule(["\(clock(opening))-24:00"]))
        daemon.signal(SIGHUP)
        XCTAssertTrue(waitUntil(5) { daemon.log.contains("configuration reloaded") }, daemon.log)
        XCTAssertEqual(try deviceState("kiosk-site01-01"), "sleeping", "a reload keeps the device's state")

        XCTAssertTrue(try waitUntil(15) { try alerts(event: "OPEN").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(try alerts(event: "OPEN").first)
        let written = try XCTUnwrap(RFC3339.parse(line.timestamp))
        XCTAssertGreaterThanOrEqual(written, opening + 2, "not before opening + wake_grace_s: \(line)")
        XCTAssertLessThan(written, opening + 4, "\(line)")
        XCTAssertEqual(line.summary, "OPEN P2 rule=offline site=site01 kind=digital-human device=kiosk-site01-01")
        XCTAssertEqual(line.fields["msg"], "did not wake after opening at \(clock(opening)) (not heard within 2s)")
        XCTAssertEqual(try deviceState("kiosk-site01-01"), "offline")
    }

    func testABranchClosingWithAllItsSleepDevicesOffOpensNoSiteOutage() throws {
        waitForRoomBeforeMidnight(60)
        let closing = (now() + 4).rounded(.down)
        try writeConfig(
            grace: 1, groupWait: 1, outages: true, kinds: ["digital-human": Self.kioskSleeps],
            extra: schedule(["00:00-\(clock(closing))"]))
        try startDaemon()
        // Started after the daemon, so 5 s into the run is past the closing: both kiosks power
        // off with their last will once the branch has closed; the gates stay on. Watched, the
        // two kiosks of four would be half the site offline: a site-outage and a fleet-outage.
        try startSim([
            "--sites", "1", "--per-kind", "2", "--kinds", "digital-human,face-gate", "--interval", "0.3",
            "--duration", "20", "--at", "5:kill:kiosk-site01-01,kiosk-site01-02",
        ])
        XCTAssertTrue(
            try waitUntil(15) { try deviceCount(inState: "sleeping") == 2 }, alertLines().joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(now(), closing)
        waitPast(2, "group_wait_s (1 s) after the kiosks' last wills, when an outage's OPEN line would come")
        try waitForEngineTurns(1)
        XCTAssertEqual(alertLines(), [], "no site-outage, no fleet-outage, no device line")
        XCTAssertEqual(try deviceCount(inState: "online"), 2)
    }
}
