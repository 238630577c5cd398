import Foundation
import XCTest

/// The `offline` rule in all three forms, dedup and auto-resolve, through a real broker.
final class OfflineDetectionTests: EndToEndTestCase {
    func testSilentDeviceGoesOfflineByTimeoutAndResolvesWhenBack() throws {
        try writeConfig(kinds: ["delivery-robot": "interval_s = 0.5\nmissed = 2"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3",
                      "--at", "3:stop:robot-site01-01", "--at", "6:resume:robot-site01-01"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("robot-site01-01") == "offline" })
        let open = try incidents()
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?["rule"] as? String, "offline")
        XCTAssertEqual(open.first?["priority"] as? String, "P2")
        XCTAssertEqual(open.first?["device"] as? String, "robot-site01-01")
        XCTAssertEqual(open.first?["site"] as? String, "site01")
        XCTAssertTrue((open.first?["summary"] as? String ?? "").contains("no heartbeat for"))
        // Back at t=6, clear for resolve_after_s (1 s): resolved automatically.
        XCTAssertTrue(try waitUntil(10) { try incidents().isEmpty })
        XCTAssertEqual(try deviceState("robot-site01-01"), "online")
        XCTAssertEqual(alertLines(event: "OPEN").count, 1)
        XCTAssertEqual(alertLines(event: "RESOLVE").count, 1)
        XCTAssertTrue(alertLines(event: "RESOLVE")[0].contains("by=auto"))
        let all = try incidents(all: true)
        XCTAssertEqual(all.first?["status"] as? String, "resolved")
        XCTAssertNotNil(all.first?["resolved_at"] as? String)
    }

    func testLastWillMarksDeviceOfflineAtOnce() throws {
        // A long timeout: only the will can explain an offline within the test's window.
        try writeConfig(grace: 1, kinds: ["pickup-locker": "interval_s = 60\nmissed = 3"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "pickup-locker", "--interval", "0.5", "--at", "2:kill:locker-site01-01"])
        XCTAssertTrue(try waitUntil(8) { try deviceState("locker-site01-01") == "offline" })
        let open = try incidents()
        XCTAssertEqual(open.count, 1)
        XCTAssertTrue((open.first?["summary"] as? String ?? "").contains("offline"))
        XCTAssertEqual(alertLines(event: "OPEN").count, 1)
    }

    func testInventoryDeviceNeverHeardGoesOfflineAfterGrace() throws {
        try writeConfig(grace: 2, extra: """
            [[devices]]
            id = "gate-east"
            site = "tianshan"
            kind = "face-gate"
            name = "East entrance gate"
            """)
        try startDaemon()
        XCTAssertEqual(try deviceState("gate-east"), "unknown")
        XCTAssertTrue(try waitUntil(8) { try deviceState("gate-east") == "offline" })
        let line = try XCTUnwrap(alertLines(event: "OPEN").first)
        XCTAssertTrue(line.contains("rule=offline site=tianshan kind=face-gate device=gate-east"), line)
        XCTAssertTrue(line.contains("respond_by="), line)
    }

    func testRepeatedSilenceUpdatesTheOpenIncidentInsteadOfOpeningAnother() throws {
        try writeConfig(resolveAfter: 30, kinds: ["delivery-robot": "interval_s = 0.5\nmissed = 2"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3",
                      "--at", "2:stop:robot-site01-01", "--at", "4:resume:robot-site01-01",
                      "--at", "5:stop:robot-site01-01"])
        XCTAssertTrue(waitUntil(12) { alertLines(event: "UPDATE").count == 1 })
        XCTAssertEqual(alertLines(event: "OPEN").count, 1)
        let open = try incidents()
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?["occurrences"] as? Int, 2)
    }

    /// `repeated-failure` on an incident still open: each relapse is an UPDATE until the
    /// `repeat_failures`-th, which raises it to P1 with one ESCALATE line (SPEC §5).
    func testRelapsesOfAnOpenIncidentEscalateItThroughTheBroker() throws {
        try writeConfig(grace: 1, resolveAfter: 60, escalation: "repeat_failures = 3\nrepeat_window_s = 60",
                        detection: "flap_changes = 100")
        try startDaemon()
        let topic = "library/site01/face-gate/gate-relapse"
        for _ in 0..<3 {
            try broker.publish("\(topic)/heartbeat", #"{"health":"ok"}"#)
            Thread.sleep(forTimeInterval: 0.3)
            try broker.publish("\(topic)/status", "offline")
            Thread.sleep(forTimeInterval: 1.0)  // past the 0.5 s confirmation of an offline status
        }
        try broker.publish("\(topic)/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(waitUntil(5) { alertLines(event: "ESCALATE").count == 1 }, alertLines().joined(separator: "\n"))
        let events = alertLines().map { $0.split(separator: " ").dropFirst().prefix(2).joined(separator: " ") }
        XCTAssertEqual(events, ["OPEN P2", "UPDATE P2", "ESCALATE P1"], alertLines().joined(separator: "\n"))
        XCTAssertTrue(alertLines(event: "ESCALATE").first?.contains("reason=repeated-failure") ?? false)
        let incident = try XCTUnwrap(try incidents().first)
        XCTAssertEqual(incident["priority"] as? String, "P1")
        XCTAssertEqual(try incidents().count, 1)
    }
}

/// `storage.alert_log_format = "json"`: the daemon writes each event as one JSON object.
final class JSONAlertLogTests: EndToEndTestCase {
    func testTheDaemonWritesJSONLinesWithTheSameFields() throws {
        alertLogFormat = "json"
        try writeConfig(grace: 1)
        try startDaemon()
        try broker.publish("library/tianshan/face-gate/gate-j/heartbeat", "{\"seq\":1}")
        try broker.publish("library/elsewhere/face-gate/gate-k/status", "offline")
        XCTAssertTrue(waitUntil(5) { !alertLines().isEmpty })
        let line = try XCTUnwrap(alertLines().first)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        XCTAssertEqual(object["event"], "OPEN")
        XCTAssertEqual(object["priority"], "P2")
        XCTAssertEqual(object["rule"], "offline")
        XCTAssertEqual(object["device"], "gate-k")
        XCTAssertTrue(object["incident"]?.hasPrefix("INC-") == true)
        XCTAssertTrue(object["ts"]?.hasSuffix("+08:00") == true)
        XCTAssertNotNil(object["respond_by"])
        XCTAssertNotNil(object["msg"])
    }
}
