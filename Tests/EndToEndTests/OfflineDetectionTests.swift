import Foundation
import XCTest

/// The `offline` rule's timing through a real broker: which timeout applies (the kind's, or the
/// device's own `interval_s`), the last will at once, inventory devices after the grace, and one
/// incident per problem. (`ScenarioTests` checks fleetsim's scenario catalogue; this class owns
/// the rule's semantics, each premise asserted.)
final class OfflineDetectionTests: EndToEndTestCase {
    /// The monotonic time at which fleetsim logged a timeline step (`t=2.0s stop …`).
    func momentSimLogs(_ text: String, in sim: ChildProcess, timeout: Double = 15) throws -> Double {
        guard waitUntil(timeout, interval: 0.01, { sim.log.contains(text) }) else {
            throw HarnessError("fleetsim never logged \"\(text)\": \(sim.log)")
        }
        return monotonicSeconds()
    }

    /// `no heartbeat for 3.1s (expected every 1s)` → (3.1, 1).
    func silence(in message: String) throws -> (silent: Double, expected: Double) {
        let numbers = message.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
        guard message.hasPrefix("no heartbeat for "), numbers.count == 2 else {
            throw HarnessError("not a timeout summary: \(message)")
        }
        return (numbers[0], numbers[1])
    }

    /// Heartbeats without `interval_s`: the kind's `interval_s × missed` (1 s × 3) is the timeout,
    /// not the simulator's 0.3 s period. Premise asserted: still online 2.2 s into the silence
    /// (a 0.9 s timeout would have expired), offline after at least 3 s of it.
    func testSilentDeviceGoesOfflineByTheKindsTimeoutAndResolvesWhenBack() throws {
        try writeConfig(kinds: ["delivery-robot": "interval_s = 1\nmissed = 3"])
        try startDaemon()
        let sim = try startSim([
            "--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3", "--omit-interval",
            "--at", "3:stop:robot-site01-01", "--at", "8:resume:robot-site01-01",
        ])
        XCTAssertTrue(try waitUntil(10) { try deviceState("robot-site01-01") == "online" })
        let stopped = try momentSimLogs("stop robot-site01-01", in: sim)
        Thread.sleep(forTimeInterval: max(0, stopped + 2.2 - monotonicSeconds()))
        XCTAssertEqual(try deviceState("robot-site01-01"), "online", "offline before the kind's 3 s timeout")
        XCTAssertTrue(waitUntil(10) { alertLines(event: "OPEN").count == 1 }, alertLines().joined(separator: "\n"))
        let open = try XCTUnwrap(try alerts(event: "OPEN").first)
        let (silent, expected) = try silence(in: open.fields["msg"] ?? "")
        XCTAssertEqual(expected, 1, "the kind's interval_s, not the simulator's period")
        XCTAssertGreaterThanOrEqual(silent, 3.0, open.text)
        XCTAssertLessThan(silent, 4.5, open.text)
        let incident = try XCTUnwrap(try openIncidents().first)
        XCTAssertEqual(
            [incident.rule, incident.priority, incident.device, incident.site, incident.kind],
            ["offline", "P2", "robot-site01-01", "site01", "delivery-robot"])
        // Back at t=8, clear for resolve_after_s (1 s): resolved automatically, one line each.
        XCTAssertTrue(try waitUntil(15) { try openIncidents().isEmpty })
        XCTAssertEqual(try deviceState("robot-site01-01"), "online")
        XCTAssertEqual(
            try alertSummaries(),
            [
                "OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
                "RESOLVE P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
            ])
        XCTAssertEqual(try alerts(event: "RESOLVE").first?.fields["by"], "auto")
        let stored = try XCTUnwrap(try allIncidents().first)
        XCTAssertEqual(stored.status, "resolved")
        XCTAssertNotNil(stored.resolvedAt)
    }

    /// SPEC §3: a heartbeat's `interval_s` overrides the kind's. The kind says 30 s × 3; the
    /// device says 0.3 s, so it is offline about 0.9 s after it falls silent.
    func testADevicesOwnIntervalOverridesTheKinds() throws {
        try writeConfig(kinds: ["face-gate": "interval_s = 30\nmissed = 3"])
        try startDaemon()
        let sim = try startSim([
            "--sites", "1", "--kinds", "face-gate", "--interval", "0.3", "--at", "3:stop:gate-site01-01",
        ])
        XCTAssertTrue(try waitUntil(10) { try deviceState("gate-site01-01") == "online" })
        let stopped = try momentSimLogs("stop gate-site01-01", in: sim)
        XCTAssertTrue(waitUntil(10) { alertLines(event: "OPEN").count == 1 }, alertLines().joined(separator: "\n"))
        XCTAssertLessThan(monotonicSeconds() - stopped, 5, "the kind's 90 s timeout was used")
        let open = try XCTUnwrap(try alerts(event: "OPEN").first)
        let (silent, expected) = try silence(in: open.fields["msg"] ?? "")
        XCTAssertEqual(expected, 0.3, open.text)
        XCTAssertGreaterThanOrEqual(silent, 0.9, open.text)
    }

    /// The will at once: with a 180 s timeout (kind 60 s × 3, heartbeats without interval_s),
    /// only the `offline` status the broker publishes for a dropped connection explains an
    /// offline within seconds.
    func testLastWillMarksDeviceOfflineAtOnce() throws {
        try writeConfig(grace: 1, kinds: ["pickup-locker": "interval_s = 60\nmissed = 3"])
        try startDaemon()
        let sim = try startSim([
            "--sites", "1", "--kinds", "pickup-locker", "--interval", "0.5", "--omit-interval",
            "--at", "2:kill:locker-site01-01",
        ])
        XCTAssertTrue(try waitUntil(10) { try deviceState("locker-site01-01") == "online" })
        let killed = try momentSimLogs("kill locker-site01-01", in: sim)
        XCTAssertTrue(try waitUntil(10) { try deviceState("locker-site01-01") == "offline" })
        XCTAssertLessThan(monotonicSeconds() - killed, 5)
        let open = try openIncidents()
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?.summary, "device reported offline (status message or last will)")
        XCTAssertEqual(
            try alertSummaries(), ["OPEN P2 rule=offline site=site01 kind=pickup-locker device=locker-site01-01"])
    }

    func testInventoryDeviceNeverHeardGoesOfflineAfterGrace() throws {
        try writeConfig(
            grace: 2,
            extra: """
                [[devices]]
                id = "gate-east"
                site = "tianshan"
                kind = "face-gate"
                name = "East entrance gate"
                """)
        let started = monotonicSeconds()
        try startDaemon()
        XCTAssertEqual(try deviceState("gate-east"), "unknown")
        XCTAssertTrue(waitUntil(8) { !alertLines(event: "OPEN").isEmpty })
        XCTAssertGreaterThanOrEqual(monotonicSeconds() - started, 2, "offline before the 2 s grace ended")
        XCTAssertEqual(try deviceState("gate-east"), "offline")
        let line = try XCTUnwrap(try alerts(event: "OPEN").first)
        XCTAssertEqual(line.summary, "OPEN P2 rule=offline site=tianshan kind=face-gate device=gate-east")
        XCTAssertNotNil(line.fields["respond_by"], line.text)
        XCTAssertEqual(line.fields["msg"], "not heard since the daemon started (grace 2s)")
    }

    /// A relapse while the incident is open is an UPDATE with a count, not a second incident.
    /// Kind timeout 1 s × 2 (no interval_s in the heartbeats); resolve_after_s 30 keeps it open.
    func testRepeatedSilenceUpdatesTheOpenIncidentInsteadOfOpeningAnother() throws {
        try writeConfig(resolveAfter: 30, kinds: ["delivery-robot": "interval_s = 1\nmissed = 2"])
        try startDaemon()
        try startSim([
            "--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3", "--omit-interval",
            "--at", "2:stop:robot-site01-01", "--at", "5:resume:robot-site01-01",
            "--at", "6:stop:robot-site01-01",
        ])
        XCTAssertTrue(waitUntil(15) { alertLines(event: "UPDATE").count == 1 }, alertLines().joined(separator: "\n"))
        XCTAssertEqual(try alerts().map(\.event), ["OPEN", "UPDATE"])
        XCTAssertEqual(Set(try alerts().map(\.incident)).count, 1, "the UPDATE is for the incident opened")
        let open = try openIncidents()
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?.occurrences, 2)
        XCTAssertEqual(try alerts(event: "UPDATE").first?.fields["occurrences"], "2")
    }

    /// `repeated-failure` on an incident still open: each relapse is an UPDATE until the
    /// `repeat_failures`-th, which raises it to P1 with one ESCALATE line (SPEC §5). Each step
    /// waits for the daemon to have taken the previous one in (state or line), not a fixed time.
    func testRelapsesOfAnOpenIncidentEscalateItThroughTheBroker() throws {
        try writeConfig(
            grace: 1, resolveAfter: 60, escalation: "repeat_failures = 3\nrepeat_window_s = 60",
            detection: "flap_changes = 100")
        try startDaemon()
        let topic = "library/site01/face-gate/gate-relapse"
        for round in 1...3 {
            try broker.publish("\(topic)/heartbeat", #"{"health":"ok"}"#)
            XCTAssertTrue(try waitUntil(10) { try deviceState("gate-relapse") == "online" }, "round \(round)")
            try broker.publish("\(topic)/status", "offline")
            XCTAssertTrue(waitUntil(10) { alertLines().count == round }, "round \(round): \(alertLines())")
        }
        try broker.publish("\(topic)/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(try waitUntil(10) { try deviceState("gate-relapse") == "online" })
        XCTAssertEqual(try alerts().map { "\($0.event) \($0.priority)" }, ["OPEN P2", "UPDATE P2", "ESCALATE P1"])
        XCTAssertEqual(try alerts(event: "ESCALATE").first?.fields["reason"], "repeated-failure")
        XCTAssertEqual(Set(try alerts().map(\.incident)).count, 1)
        let open = try openIncidents()
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?.priority, "P1")
        XCTAssertEqual(open.first?.occurrences, 3)
    }
}

/// `storage.alert_log_format = "json"`: the daemon writes each event as one JSON object.
final class JSONAlertLogTests: EndToEndTestCase {
    func testTheDaemonWritesJSONLinesWithTheSameFields() throws {
        alertLogFormat = "json"
        try writeConfig(grace: 1)
        try startDaemon()
        try broker.publish("library/tianshan/face-gate/gate-j/heartbeat", "{\"seq\":1}")
        // a status alone registers nothing
        try broker.publish("library/elsewhere/face-gate/gate-k/heartbeat", "{\"seq\":1}")
        try broker.publish("library/elsewhere/face-gate/gate-k/status", "offline")
        XCTAssertTrue(waitUntil(5) { !alertLines().isEmpty })
        let line = try XCTUnwrap(alertLines().first)
        let object = try JSONDecoder().decode([String: String].self, from: Data(line.utf8))
        XCTAssertEqual(object["event"], "OPEN")
        XCTAssertEqual(object["priority"], "P2")
        XCTAssertEqual(object["rule"], "offline")
        XCTAssertEqual(object["site"], "elsewhere")
        XCTAssertEqual(object["kind"], "face-gate")
        XCTAssertEqual(object["device"], "gate-k")
        XCTAssertEqual(object["incident"], try openIncidents().first?.id)
        XCTAssertTrue(object["ts"]?.hasSuffix("+08:00") == true)
        XCTAssertEqual(object["respond_by"], try openIncidents().first?.respondBy)
        XCTAssertEqual(object["msg"], "device reported offline (status message or last will)")
    }
}
