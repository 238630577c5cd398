import FleetCore
import Foundation
import XCTest

/// fleetsim's closing-time scenario against the real daemon (SPEC §10): site01 closes 3 s into
/// the scenario, its kiosks power off with their last will, the gates stay on, and at opening
/// (10 s in) kiosk-site01-02 does not come back. Exactly one line: its `offline` after the wake grace.
extension ScenarioTests {
    func testClosingTimeScenarioIsSilentAtClosingAndOpensOneOfflineForTheKioskThatDidNotWake() throws {
        // Today's ranges in UTC: leave room before midnight for the whole run.
        let secondsLeft = 86_400 - Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400)
        if secondsLeft < 40 { Thread.sleep(forTimeInterval: secondsLeft + 1) }
        // The scenario starts at `start`, a few seconds from now, once the daemon is up.
        let start = (Date().timeIntervalSince1970 + 4).rounded(.up)
        func clock(_ wall: Double) -> String { TimeOfDayText.text(Int(wall) % 86_400) }
        let opening = clock(start + 10)
        try writeScenarioConfig(
            kinds: ["digital-human": "off_hours = \"sleep\"\nwake_grace_s = 3"],
            extra: """
                [sla]
                timezone = "UTC"

                [schedules.closing-time]
                hours = ["00:00-\(clock(start + 3))", "\(opening)-24:00"]

                [sites.site01]
                schedule = "closing-time"
                """)
        try startDaemon()
        XCTAssertTrue(waitUntil(10) { Date().timeIntervalSince1970 >= start })
        // 20 s instead of the catalogue's 16: the devices' states are read while they still
        // heartbeat (once the simulator goes quiet they go offline 1.5 s later).
        let sim = try startScenario("closing-time", ["--duration", "20"])
        XCTAssertTrue(waitUntil(19) { (try? self.alerts().isEmpty) == false }, "the kiosk that did not wake")
        XCTAssertEqual(try deviceState("kiosk-site01-01"), "online", "it woke")
        XCTAssertEqual(try deviceState("gate-site01-01"), "online")
        XCTAssertEqual(sim.wait(timeout: 40), 0, sim.log)
        let lines = try scenarioLines(sim)
        XCTAssertEqual(summarize(lines), ["OPEN P2 rule=offline site=site01 kind=digital-human device=kiosk-site01-02"])
        XCTAssertEqual(lines.first?.fields["msg"], "did not wake after opening at \(opening) (not heard within 3s)")
        // The incident opened at wake-up says so in its timeline.
        let id = try XCTUnwrap(lines.first?.incident)
        let timeline = try incidentDetail(id).timeline
        XCTAssertEqual(timeline.first?.event, "OPEN")
        XCTAssertEqual(timeline.first?.msg, "did not wake after opening at \(opening) (not heard within 3s)")
        daemon?.stop()
    }
}
