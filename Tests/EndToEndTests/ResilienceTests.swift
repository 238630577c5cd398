import Foundation
import XCTest

/// The watcher's own faults must not become alert storms or lost incidents.
final class ResilienceTests: EndToEndTestCase {
    func testBrokerOutageOpensNoDeviceIncidents() throws {
        try writeConfig(grace: 3, kinds: ["delivery-robot": "interval_s = 0.5\nmissed = 3"])
        try startDaemon()
        try startSim(["--sites", "2", "--kinds", "delivery-robot", "--interval", "0.3"])
        XCTAssertTrue(try waitUntil(10) { try devices().values.filter { $0["state"] as? String == "online" }.count == 2 })
        // Down for longer than a device timeout (1.5 s): the daemon is blind, so nobody is offline.
        broker.stop()
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(try status()["broker"] as? String, "disconnected")
        try broker.start()
        XCTAssertTrue(try waitUntil(15) { try status()["broker"] as? String == "connected" })
        // Past the grace after reconnect, devices are heard again: no incident at any point.
        Thread.sleep(forTimeInterval: 4)
        XCTAssertEqual(try incidents(all: true).count, 0, alertLines().joined(separator: "\n"))
        XCTAssertEqual(alertLines().count, 0)
    }

    func testKillNineAndRestartKeepsTheSameIncidents() throws {
        try writeConfig(grace: 1, extra: """
            [[devices]]
            id = "robot-a"
            site = "tianshan"
            kind = "delivery-robot"
            [[devices]]
            id = "robot-b"
            site = "tianshan"
            kind = "delivery-robot"
            """)
        let first = try startDaemon()
        // Both robots offline after the grace: two P2s, and the outages they add up to.
        XCTAssertTrue(try waitUntil(8) { try incidents().filter { $0["rule"] as? String == "offline" }.count == 2 })
        Thread.sleep(forTimeInterval: 0.5)
        let before = try incidents().map { $0["id"] as! String }.sorted()
        let openLines = alertLines(event: "OPEN").count
        first.signal(SIGKILL)
        first.wait(timeout: 5)
        try startDaemon()
        Thread.sleep(forTimeInterval: 2.5)  // past the new grace period
        let after = try incidents().map { $0["id"] as! String }.sorted()
        XCTAssertEqual(before, after)
        XCTAssertEqual(alertLines(event: "OPEN").count, openLines, "no incident opened twice")
        // A new problem after the restart gets a new, never used id.
        try broker.publish("library/elsewhere/delivery-robot/robot-c/status", "offline")
        XCTAssertTrue(try waitUntil(5) { try incidents().count == before.count + 1 })
        let newID = try incidents().map { $0["id"] as! String }.first { !before.contains($0) }
        let highest = before.compactMap { Int($0.dropFirst(4)) }.max() ?? 0
        XCTAssertEqual(newID, String(format: "INC-%06d", highest + 1))
    }

    func testLinesCommittedButNotWrittenBeforeACrashAreWrittenAtNextStart() throws {
        try writeConfig(grace: 1, extra: """
            [[devices]]
            id = "locker-a"
            site = "tianshan"
            kind = "pickup-locker"
            """)
        let first = try startDaemon()
        XCTAssertTrue(waitUntil(8) { alertLines(event: "OPEN").count == 1 })
        first.signal(SIGKILL)
        first.wait(timeout: 5)
        // Simulate dying between commit and write: the line is missing, the marker not advanced.
        try "".write(toFile: alertLogPath, atomically: false, encoding: .utf8)
        let reset = try runCommand("/usr/bin/sqlite3", [databasePath, "UPDATE meta SET value = 0 WHERE key = 'announced_through'"])
        XCTAssertEqual(reset.status, 0, reset.stderr)
        try startDaemon()
        XCTAssertTrue(waitUntil(5) { alertLines(event: "OPEN").count == 1 })
        // And a line that is already there is not written twice.
        daemon?.signal(SIGKILL)
        daemon?.wait(timeout: 5)
        _ = try runCommand("/usr/bin/sqlite3", [databasePath, "UPDATE meta SET value = 0 WHERE key = 'announced_through'"])
        try startDaemon()
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(alertLines(event: "OPEN").count, 1)
    }

    /// The daemon turns SQLite's automatic checkpoint off and copies the log back on its own
    /// thread: committed pages must reach the database file while it runs, not only at exit.
    func testCommittedPagesReachTheDatabaseFileWhileTheDaemonRuns() throws {
        try writeConfig()
        let d = try startDaemon()
        let sizeAtStart = fileSize(databasePath)
        let load = try runCommand(Binaries.path("fleetsim"), ["load", "--port", String(broker.port), "--devices", "3000",
                                                              "--messages", "3000"])
        XCTAssertEqual(load.status, 0, load.stderr)
        XCTAssertTrue(waitUntil(10) { (try? self.devices().count) == 3000 })
        XCTAssertTrue(waitUntil(10) { self.fileSize(self.databasePath) > sizeAtStart + 200_000 },
                      "database file \(fileSize(databasePath)) bytes, \(sizeAtStart) at start")
        XCTAssertTrue(d.isRunning)
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// SPEC §5: the daemon's own stall counts as blindness. Frozen by SIGSTOP for 7 s while its
    /// devices fall silent (their 1 s timeout long expired on resume), it first grants everyone
    /// `startup_grace_s` (2 s) instead of declaring them offline at once; after the grace the
    /// silent devices do go offline, which shows the deadlines had really expired.
    func testADaemonFrozenBySigstopGrantsGraceBeforeDeclaringAnyoneOffline() throws {
        try writeConfig(grace: 2, kinds: ["face-gate": "interval_s = 0.5\nmissed = 2"])
        let d = try startDaemon()
        try startSim(["--sites", "2", "--kinds", "face-gate", "--interval", "0.3", "--at", "4:stop:all"])
        XCTAssertTrue(try waitUntil(3) { try devices().values.filter { $0["state"] as? String == "online" }.count == 2 })
        d.signal(SIGSTOP)
        Thread.sleep(forTimeInterval: 7)  // the devices go silent at 4 s, meanwhile
        d.signal(SIGCONT)
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(alertLines(event: "OPEN"), [], "no offline storm on resume")
        XCTAssertTrue(waitUntil(6) { alertLines(event: "OPEN").count == 2 }, alertLines().joined(separator: "\n"))
    }

    func testSigtermStopsCleanlyWithExitZero() throws {
        try writeConfig()
        let d = try startDaemon()
        let started = Date()
        d.signal(SIGTERM)
        XCTAssertEqual(d.wait(timeout: 5), 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(try status()["daemon"] as? String, "stopped")
    }
}

/// The watcher's own infrastructure failing: P1 collector incidents, never device storms.
final class CollectorIncidentTests: EndToEndTestCase {
    func testBrokerUnreachableOpensOneP1AndNoDeviceIncidents() throws {
        try writeConfig(grace: 2, detection: "broker_down_p1_after_s = 2",
                        kinds: ["delivery-robot": "interval_s = 0.5\nmissed = 3"])
        try startDaemon()
        try startSim(["--sites", "2", "--kinds", "delivery-robot", "--interval", "0.3"])
        XCTAssertTrue(try waitUntil(10) { try devices().values.filter { $0["state"] as? String == "online" }.count == 2 })
        broker.stop()
        XCTAssertTrue(try waitUntil(8) { try incidents().contains { $0["rule"] as? String == "broker-unreachable" } })
        let incident = try XCTUnwrap(try incidents().first)
        XCTAssertEqual(incident["priority"] as? String, "P1")
        XCTAssertEqual(incident["scope"] as? String, "collector")
        XCTAssertEqual(try XCTUnwrap(try cliJSON(["status"]) as? [String: Any])["broker"] as? String, "disconnected")
        Thread.sleep(forTimeInterval: 1)
        try broker.start()
        XCTAssertTrue(try waitUntil(15) { try incidents().isEmpty }, alertLines().joined(separator: "\n"))
        Thread.sleep(forTimeInterval: 3)  // past the reconnect grace
        let summary = alertLines().map { $0.split(separator: " ").prefix(5).dropFirst().joined(separator: " ") }
        XCTAssertEqual(summary.map { $0.split(separator: " ").first.map(String.init) ?? "" }, ["OPEN", "RESOLVE"])
        XCTAssertTrue(alertLines().allSatisfy { $0.contains("rule=broker-unreachable") })
    }

    func testDatabaseLockedByAnotherProcessIsAStorageFailureThatResolves() throws {
        try writeConfig(grace: 1, kinds: ["delivery-robot": "interval_s = 0.5\nmissed = 4"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("robot-site01-01") == "online" })
        // Another process holds the write lock for 4 s: the daemon's commits fail meanwhile.
        let locker = try ChildProcess(
            name: "sqlite3-lock", executable: "/bin/sh",
            arguments: ["-c", "(echo 'BEGIN EXCLUSIVE;'; sleep 4; echo 'COMMIT;') | /usr/bin/sqlite3 '\(databasePath)'"],
            logPath: directory + "/lock.log")
        children.append(locker)
        XCTAssertTrue(waitUntil(6) { alertLines().contains { $0.contains("OPEN P1") && $0.contains("rule=storage-failure") } },
                      daemon?.log ?? "")
        XCTAssertTrue(daemon!.isRunning)
        locker.wait(timeout: 10)
        // Once writes work again: committed (visible to the CLI) and resolved after resolve_after_s.
        XCTAssertTrue(waitUntil(8) { alertLines().contains { $0.contains("RESOLVE P1") && $0.contains("rule=storage-failure") } },
                      alertLines().joined(separator: "\n"))
        let stored = try incidents(all: true).filter { $0["rule"] as? String == "storage-failure" }
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?["status"] as? String, "resolved")
        XCTAssertEqual(alertLines().filter { $0.contains("OPEN") }.count, 1, "the OPEN line is written once")
        XCTAssertEqual(try deviceState("robot-site01-01"), "online")
    }

    func testUnwritableAlertLogIsAStorageFailureAndLinesAreWrittenLater() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        // The log path becomes a directory and the daemon is told to reopen it.
        try FileManager.default.removeItem(atPath: alertLogPath)
        try FileManager.default.createDirectory(atPath: alertLogPath, withIntermediateDirectories: false)
        daemon?.signal(SIGUSR1)
        Thread.sleep(forTimeInterval: 0.5)
        try broker.publish("library/tianshan/face-gate/gate-9/status", "offline")
        XCTAssertTrue(try waitUntil(6) { try incidents().contains { $0["rule"] as? String == "storage-failure" } })
        XCTAssertTrue(try incidents().contains { $0["device"] as? String == "gate-9" }, "the incident is committed")
        try FileManager.default.removeItem(atPath: alertLogPath)
        XCTAssertTrue(waitUntil(6) { alertLines().contains { $0.contains("device=gate-9") } })
        XCTAssertTrue(waitUntil(6) { alertLines().contains { $0.contains("RESOLVE P1") && $0.contains("storage-failure") } },
                      alertLines().joined(separator: "\n"))
    }
}

/// logrotate: `create` (rename, then SIGUSR1/SIGHUP) and `copytruncate` both keep every line.
final class AlertLogRotationTests: EndToEndTestCase {
    /// One healthy gate (45 s timeout), so two offline gates are not the whole fleet.
    func keepAFaceGateOnline() throws {
        try broker.publish("library/site-c/face-gate/gate-live/heartbeat", "{\"seq\":1}")
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-live") == "online" })
    }

    func testRenameAndReopenOnSignalWritesNewLinesToTheNewFile() throws {
        try writeConfig(grace: 1)
        let d = try startDaemon()
        try keepAFaceGateOnline()
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        XCTAssertTrue(waitUntil(5) { alertLines(event: "OPEN").count == 1 })
        try FileManager.default.moveItem(atPath: alertLogPath, toPath: alertLogPath + ".1")
        d.signal(SIGUSR1)
        XCTAssertTrue(waitUntil(5) { d.log.contains("alert log reopened") })
        try broker.publish("library/site-b/face-gate/gate-b/status", "offline")
        XCTAssertTrue(waitUntil(5) { alertLines(event: "OPEN").count == 1 && alertLines()[0].contains("gate-b") },
                      alertLines().joined(separator: "\n"))
        let rotated = try String(contentsOfFile: alertLogPath + ".1", encoding: .utf8)
        XCTAssertTrue(rotated.contains("gate-a"))
        XCTAssertFalse(rotated.contains("gate-b"))
    }

    func testCopytruncateKeepsAppendingAtTheStart() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        try keepAFaceGateOnline()
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        XCTAssertTrue(waitUntil(5) { alertLines().count == 1 })
        try FileManager.default.copyItem(atPath: alertLogPath, toPath: alertLogPath + ".1")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: alertLogPath))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try broker.publish("library/site-b/face-gate/gate-b/status", "offline")
        XCTAssertTrue(waitUntil(5) { alertLines().count == 1 && alertLines()[0].contains("gate-b") })
        // O_APPEND: no hole of NUL bytes where the old content was.
        let data = try Data(contentsOf: URL(fileURLWithPath: alertLogPath))
        XCTAssertFalse(data.contains(0))
    }
}

/// A daemon started before its broker connects once the broker is up.
final class BrokerStartOrderTests: EndToEndTestCase {
    func testADaemonStartedBeforeTheBrokerConnectsWhenItComesUp() throws {
        broker.stop()
        try writeConfig(grace: 1)
        let d = try startDaemon(waitForBroker: false)
        Thread.sleep(forTimeInterval: 2)
        XCTAssertTrue(d.isRunning)
        XCTAssertFalse(d.log.contains("broker connected"))
        try broker.start()
        XCTAssertTrue(waitUntil(10) { d.log.contains("broker connected") }, d.log)
        try broker.publish("library/tianshan/face-gate/gate-late/heartbeat", "{\"seq\":1}")
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-late") == "online" })
    }
}
