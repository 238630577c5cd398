import Foundation
import XCTest

/// The watcher's own infrastructure failing: P1 collector incidents, never device storms.
final class CollectorIncidentTests: EndToEndTestCase {
    func testBrokerUnreachableOpensOneP1AndNoDeviceIncidents() throws {
        // A grace of 5 s after the reconnect: the simulated devices retry after 1, 2, 4 s, so one
        // whose second try (3 s after the broker went) just missed the restart is back 4 s after
        // it, while the daemon, whose own try just hit it, was back at once. With a 2 s grace the
        // test was a race between those two tries (seen failing in CI).
        try writeConfig(
            grace: 5, detection: "broker_down_p1_after_s = 2",
            kinds: ["delivery-robot": "interval_s = 1\nmissed = 2"])
        try startDaemon()
        try startSim(["--sites", "2", "--kinds", "delivery-robot", "--interval", "0.3", "--omit-interval"])
        XCTAssertTrue(try waitUntil(10) { try deviceCount(inState: "online") == 2 })
        broker.stop()
        let lost = monotonicSeconds()
        XCTAssertTrue(waitUntil(10) { !alertLines(event: "OPEN").isEmpty })
        XCTAssertGreaterThanOrEqual(monotonicSeconds() - lost, 2, "opened before broker_down_p1_after_s")
        let incident = try XCTUnwrap(try openIncidents().first)
        XCTAssertEqual([incident.rule, incident.priority, incident.scope], ["broker-unreachable", "P1", "collector"])
        XCTAssertEqual(try daemonStatus().broker, .disconnected)
        waitPast(
            max(0, lost + 3 - monotonicSeconds()), "the devices' 2 s timeout has expired while the daemon is blind")
        try broker.start()
        XCTAssertTrue(try waitUntil(reconnectTimeout) { try daemonStatus().broker == .connected })
        let reconnected = monotonicSeconds()
        XCTAssertTrue(try waitUntil(15) { try openIncidents().isEmpty }, alertLines().joined(separator: "\n"))
        // Past the reconnect grace (5 s), when a device storm would come if blindness counted.
        waitPast(max(0, reconnected + 5.5 - monotonicSeconds()), "the reconnect grace (5 s) has ended")
        try waitForEngineTurns()
        XCTAssertEqual(try alertSummaries(), ["OPEN P1 rule=broker-unreachable", "RESOLVE P1 rule=broker-unreachable"])
    }

    /// SPEC §5: counted "from the first failed attempt at start". No broker at all: the P1 opens
    /// broker_down_p1_after_s (2 s) after the daemon started, not later and not sooner.
    func testBrokerUnreachableFromTheStartIsCountedFromTheFirstFailedAttempt() throws {
        broker.stop()
        try writeConfig(grace: 1, detection: "broker_down_p1_after_s = 2")
        let started = monotonicSeconds()
        let d = try startDaemon(waitForBroker: false)
        XCTAssertTrue(waitUntil(10) { d.log.contains("broker connection failed") }, d.log)
        XCTAssertTrue(waitUntil(10) { !alertLines(event: "OPEN").isEmpty }, d.log)
        let elapsed = monotonicSeconds() - started
        XCTAssertGreaterThanOrEqual(elapsed, 2, "opened before broker_down_p1_after_s")
        XCTAssertLessThan(elapsed, 5, "not counted from the first failed attempt")
        XCTAssertEqual(try alertSummaries(), ["OPEN P1 rule=broker-unreachable"])
        XCTAssertEqual(try openIncidents().first?.scope, "collector")
    }

    func testDatabaseLockedByAnotherProcessIsAStorageFailureThatResolves() throws {
        try writeConfig(grace: 1, kinds: ["delivery-robot": "interval_s = 1\nmissed = 4"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3", "--omit-interval"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("robot-site01-01") == "online" })
        // Another process holds the write lock: the daemon's commits fail meanwhile.
        let lock = try DatabaseLock(database: databasePath, logPath: directory + "/lock.log")
        XCTAssertTrue(
            waitUntil(10) { alertLines().contains { $0.contains("OPEN P1") && $0.contains("rule=storage-failure") } },
            daemon?.log ?? "")
        XCTAssertEqual(daemon?.isRunning, true)
        try lock.release()
        // Once writes work again: committed (visible to the CLI) and resolved after resolve_after_s.
        XCTAssertTrue(
            waitUntil(10) {
                alertLines().contains { $0.contains("RESOLVE P1") && $0.contains("rule=storage-failure") }
            },
            alertLines().joined(separator: "\n"))
        let stored = try allIncidents().filter { $0.rule == "storage-failure" }
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?.status, "resolved")
        XCTAssertEqual(
            try alertSummaries(), ["OPEN P1 rule=storage-failure", "RESOLVE P1 rule=storage-failure"],
            "the OPEN line is written once")
        XCTAssertEqual(try deviceState("robot-site01-01"), "online")
    }

    func testUnwritableAlertLogIsAStorageFailureAndLinesAreWrittenLater() throws {
        try writeConfig(grace: 1)
        let d = try startDaemon()
        // The log path becomes a directory and the daemon is told to reopen it.
        try FileManager.default.removeItem(atPath: alertLogPath)
        try FileManager.default.createDirectory(atPath: alertLogPath, withIntermediateDirectories: false)
        d.signal(SIGUSR1)
        XCTAssertTrue(waitUntil(10) { d.log.contains("alert log cannot be reopened") }, d.log)
        // a status alone registers nothing
        try broker.publish("library/tianshan/face-gate/gate-9/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/tianshan/face-gate/gate-9/status", "offline")
        XCTAssertTrue(try waitUntil(10) { try openIncidents().contains { $0.rule == "storage-failure" } })
        XCTAssertTrue(try openIncidents().contains { $0.device == "gate-9" }, "the incident is committed")
        try FileManager.default.removeItem(atPath: alertLogPath)
        XCTAssertTrue(waitUntil(10) { alertLines().contains { $0.contains("device=gate-9") } })
        XCTAssertTrue(
            waitUntil(10) { alertLines().contains { $0.contains("RESOLVE P1") && $0.contains("storage-failure") } },
            alertLines().joined(separator: "\n"))
        let gate = try XCTUnwrap(try alerts().first { $0.fields["device"] == "gate-9" })
        XCTAssertEqual(gate.summary, "OPEN P2 rule=offline site=tianshan kind=face-gate device=gate-9")
    }
}
