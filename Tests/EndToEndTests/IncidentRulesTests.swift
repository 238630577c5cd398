import Foundation
import XCTest

/// Incident rules through the broker that the scenario catalogue does not cover: a configured
/// kind with `above` and `equals` rules, `group_wait_s`, an announced incident absorbed by a
/// later outage, and flapping that ends after `flap_window_s`.
final class IncidentRulesTests: EndToEndTestCase {
    func heartbeat(_ topic: String, _ json: String) throws {
        try broker.publish("\(topic)/heartbeat", json)
    }

    /// A kind the daemon does not build in (`book-scanner`), with its own timeout and rules:
    /// `above` (strictly: 50 does not fire, 55 does), `equals` on a string, and `equals` on a
    /// boolean held for `for_s`. Each opens its own incident with its own priority (repeat
    /// escalation is turned off: these are four incidents of one device in a minute).
    func testACustomKindWithAboveAndEqualsRulesOpensTheirIncidents() throws {
        try writeConfig(
            grace: 1, escalation: "repeat_failures = 10", kinds: ["book-scanner": "interval_s = 2\nmissed = 3"],
            extra: """
                [[kinds.book-scanner.rules]]
                name = "overheat"
                metric = "temp_c"
                above = 50
                for_s = 0
                priority = "P1"

                [[kinds.book-scanner.rules]]
                name = "jammed"
                metric = "mode"
                equals = "jam"
                for_s = 0
                priority = "P2"

                [[kinds.book-scanner.rules]]
                name = "lid-open"
                metric = "lid_open"
                equals = true
                for_s = 1
                priority = "P2"
                """)
        try startDaemon()
        let scanner = "library/tianshan/book-scanner/scanner-1"
        func beat(temp: Int, mode: String, lid: Bool) throws {
            try heartbeat(scanner, #"{"metrics":{"temp_c":\#(temp),"mode":"\#(mode)","lid_open":\#(lid)}}"#)
        }
        try beat(temp: 40, mode: "ok", lid: false)
        XCTAssertTrue(try waitUntil(10) { try device("scanner-1")?.kind == "book-scanner" })
        try beat(temp: 50, mode: "ok", lid: false)
        try waitForIntake(through: "\(scanner)/heartbeat")
        try waitForEngineTurns(1)
        XCTAssertEqual(alertLines(), [], "50 is not above 50")
        try beat(temp: 55, mode: "ok", lid: false)
        XCTAssertTrue(waitUntil(10) { alertLines().count == 1 })
        try beat(temp: 55, mode: "jam", lid: false)
        XCTAssertTrue(waitUntil(10) { alertLines().count == 2 })
        try beat(temp: 55, mode: "jam", lid: true)
        let lidOpened = monotonicSeconds()  // the condition holds from this heartbeat on
        try waitForEngineTurns(1)
        XCTAssertEqual(alertLines().count, 2, "lid-open opened before its for_s (1 s)")
        Thread.sleep(forTimeInterval: max(0, lidOpened + 1.3 - monotonicSeconds()))
        try beat(temp: 55, mode: "jam", lid: true)
        XCTAssertTrue(waitUntil(10) { alertLines().count == 3 })
        let scope = "site=tianshan kind=book-scanner device=scanner-1"
        XCTAssertEqual(
            try alertSummaries(),
            [
                "OPEN P1 rule=overheat \(scope)", "OPEN P2 rule=jammed \(scope)",
                "OPEN P2 rule=lid-open \(scope)",
            ])
        // The kind's own timeout (2 s × 3): silent now, offline about 6 s after the last heartbeat.
        XCTAssertTrue(waitUntil(15) { alertLines().count == 4 })
        let offline = try XCTUnwrap(try alerts().last)
        XCTAssertEqual(offline.summary, "OPEN P2 rule=offline \(scope)")
        XCTAssertTrue(offline.fields["msg"]?.hasSuffix("(expected every 2s)") == true, offline.text)
    }

    /// `group_wait_s = 3`: a lone device's incident is in the database at once but its OPEN line
    /// waits 3 s; one whose condition clears within the wait resolves quietly, never announced.
    func testGroupWaitDelaysALoneIncidentAndOneThatClearsInTimeIsNeverAnnounced() throws {
        try writeConfig(grace: 1, resolveAfter: 0.5, groupWait: 3)
        try startDaemon()
        try heartbeat("library/site01/face-gate/gate-lone", #"{"seq":1}"#)
        try heartbeat("library/site02/face-gate/gate-brief", #"{"seq":1}"#)
        try heartbeat("library/site03/face-gate/gate-steady", #"{"seq":1}"#)  // so two offline are not the fleet
        XCTAssertTrue(try waitUntil(10) { try deviceCount(inState: "online") == 3 })
        try broker.publish("library/site01/face-gate/gate-lone/status", "offline")
        try broker.publish("library/site02/face-gate/gate-brief/status", "offline")
        XCTAssertTrue(try waitUntil(10) { try openIncidents().count == 2 })
        let opened = monotonicSeconds()
        try heartbeat("library/site02/face-gate/gate-brief", #"{"seq":2}"#)  // back within the wait
        XCTAssertEqual(alertLines(), [], "announced before group_wait_s")
        XCTAssertTrue(waitUntil(10) { !alertLines().isEmpty })
        XCTAssertGreaterThanOrEqual(monotonicSeconds() - opened, 2.5, "announced before group_wait_s (3 s)")
        XCTAssertTrue(
            try waitUntil(10) { try allIncidents().first { $0.device == "gate-brief" }?.status == "resolved" })
        try waitForEngineTurns()
        XCTAssertEqual(try alertSummaries(), ["OPEN P2 rule=offline site=site01 kind=face-gate device=gate-lone"])
    }

    /// SPEC §5: "one already announced that a later site-level incident takes in becomes its
    /// child without a new line". gate-a is announced alone; gate-b going offline too makes 2 of
    /// 3 at the site (ratio 0.6): one P1 line, gate-a and gate-b its children, nothing else.
    func testAnAnnouncedIncidentTakenInByALaterOutageGetsNoNewLine() throws {
        try writeConfig(
            grace: 1, groupWait: 1, outages: true, escalation: "site_offline_ratio = 0.6\nfleet_offline_ratio = 1.0")
        try startDaemon()
        for gate in ["gate-a", "gate-b", "gate-c"] { try heartbeat("library/north/face-gate/\(gate)", #"{"seq":1}"#) }
        XCTAssertTrue(try waitUntil(10) { try deviceCount(inState: "online") == 3 })
        try broker.publish("library/north/face-gate/gate-a/status", "offline")
        XCTAssertTrue(waitUntil(10) { alertLines().count == 1 })
        try broker.publish("library/north/face-gate/gate-b/status", "offline")
        XCTAssertTrue(waitUntil(10) { alertLines().count == 2 })
        try waitForEngineTurns()
        XCTAssertEqual(
            try alertSummaries(),
            [
                "OPEN P2 rule=offline site=north kind=face-gate device=gate-a",
                "OPEN P1 rule=site-outage site=north",
            ])
        let open = try openIncidents()
        let outage = try XCTUnwrap(open.first { $0.rule == "site-outage" })
        XCTAssertEqual(
            Set(open.filter { $0.rule == "offline" }.map { "\($0.device ?? "-") \($0.parent ?? "-")" }),
            ["gate-a \(outage.id)", "gate-b \(outage.id)"])
        XCTAssertEqual(open.count, 3)
    }

    /// Flapping ends once the device has been stable for `flap_window_s` (4 s): the incident then
    /// resolves like any other, and a later failure opens a new incident with its own OPEN line.
    func testFlappingEndsAfterTheDeviceHasBeenStableForTheWindow() throws {
        // resolve_after_s 3 keeps the incident open across the toggles (1 s apart).
        try writeConfig(
            grace: 1, resolveAfter: 3, escalation: "repeat_failures = 10",
            detection: "flap_window_s = 4\nflap_changes = 4")
        try startDaemon()
        // No interval_s: the kind's 30 s × 3 timeout, so only the kills change the state.
        try startSim([
            "--sites", "1", "--kinds", "digital-human", "--interval", "0.3", "--omit-interval",
            "--at", "2:kill:kiosk-site01-01", "--at", "3:resume:kiosk-site01-01",
            "--at", "4:kill:kiosk-site01-01", "--at", "5:resume:kiosk-site01-01",
            "--at", "14:kill:kiosk-site01-01",
        ])
        XCTAssertTrue(waitUntil(15) { alertLines(event: "FLAPPING").count == 1 }, alertLines().joined(separator: "\n"))
        let flappingSince = monotonicSeconds()
        XCTAssertEqual(try openIncidents().first?.flapping, true)
        XCTAssertTrue(waitUntil(15) { alertLines(event: "RESOLVE").count == 1 }, alertLines().joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(
            monotonicSeconds() - flappingSince, 3, "resolved before the device was stable for 4 s")
        XCTAssertTrue(waitUntil(20) { alertLines(event: "OPEN").count == 2 }, alertLines().joined(separator: "\n"))
        let lines = try alerts()
        XCTAssertEqual(lines.map(\.event), ["OPEN", "UPDATE", "FLAPPING", "RESOLVE", "OPEN"])
        XCTAssertEqual(Set(lines.prefix(4).map(\.incident)).count, 1)
        XCTAssertNotEqual(lines.last?.incident, lines.first?.incident, "the new failure is a new incident")
        XCTAssertEqual(try openIncidents().first?.flapping, false)
    }
}
