import Foundation
import XCTest

/// Issue 11, items 1–3: storage faults lose nothing and reuse no incident id; every alert line
/// stays whole.
final class StorageFaultTests: EndToEndTestCase {
    private var databaseDirectory: String { directory + "/db" }
    override var databasePath: String { databaseDirectory + "/fleetwatch.db" }

    private func databaseFiles() -> [String] { ["", "-wal", "-shm"].map { databasePath + $0 } }

    /// A gate at a site of its own, heard once, then reported offline: one OPEN P2 (a gate that
    /// stays online elsewhere keeps the fleet from an outage).
    private func gateGoesOffline(_ id: String) throws {
        try broker.publish("library/elsewhere/face-gate/gate-live/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-\(id)/face-gate/\(id)/heartbeat", #"{"seq":1}"#)
        XCTAssertTrue(try waitUntil(5) { try deviceState(id) == "online" })
        try broker.publish("library/site-\(id)/face-gate/\(id)/status", "offline")
        XCTAssertTrue(
            try waitUntil(5) { try alerts(event: "OPEN").contains { $0.fields["device"] == id } },
            alertLines().joined(separator: "\n"))
    }

    /// Incident ids of the OPEN lines, each at most once (SPEC §8: ids are never reused).
    private func assertNoOpenIDTwice(file: StaticString = #filePath, line: UInt = #line) throws {
        let ids = try alerts(event: "OPEN").map(\.incident)
        XCTAssertEqual(
            ids.count, Set(ids).count, "an id opened twice:\n\(alertLines().joined(separator: "\n"))",
            file: file, line: line)
    }

    private func storageFailureLine(_ event: String) throws -> AlertLine? {
        try alerts(event: event).first { $0.fields["rule"] == "storage-failure" }
    }

    /// Before: `rm fleetwatch.db*` went unnoticed (SQLite writes on to the deleted file), every
    /// reading command failed, and the data was gone at exit.
    func testADatabaseDeletedUnderTheDaemonIsAStorageFailureAndIsMadeAgainWithEverythingInIt() throws {
        try writeConfig(grace: 1, resolveAfter: 1)
        try startDaemon()
        try gateGoesOffline("gate-a")
        try waitForEngineTurns()
        let before = try allIncidents()
        for file in databaseFiles() { try FileManager.default.removeItem(atPath: file) }

        XCTAssertTrue(try waitUntil(5) { try storageFailureLine("OPEN") != nil }, alertLines().joined(separator: "\n"))
        let failure = try XCTUnwrap(try storageFailureLine("OPEN"))
        XCTAssertEqual(failure.priority, "P1")
        XCTAssertTrue(failure.fields["msg"]?.contains("was deleted") == true, failure.text)
        XCTAssertTrue(
            try waitUntil(8) { try storageFailureLine("RESOLVE") != nil }, alertLines().joined(separator: "\n"))

        // Made again from the daemon's own copy: the reading commands work and show everything.
        let after = try allIncidents()
        XCTAssertEqual(Set(after.map(\.id)), Set(before.map(\.id) + [failure.incident]))
        XCTAssertEqual(try deviceState("gate-a"), "offline")
        let detail = try incidentDetail(try XCTUnwrap(before.first?.id))
        XCTAssertEqual(detail.timeline.map(\.event), ["OPEN"])
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: databasePath)[.posixPermissions] as? Int, 0o640)
        // And writes go on: a new incident, with an id never used.
        try gateGoesOffline("gate-b")
        try assertNoOpenIDTwice()
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-b") == "offline" })
    }

    /// While the database cannot be made again (its directory is now a file), the failure
    /// stays: /healthz 503, state in memory; once it can, nothing of the meantime is lost.
    func testWhileTheDatabaseCannotBeMadeAgainHealthzIs503AndNothingIsLost() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(grace: 1, resolveAfter: 1)
        try startDaemon()
        try broker.publish("library/elsewhere/face-gate/gate-live/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-a/face-gate/gate-a/heartbeat", #"{"seq":1}"#)
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-a") == "online" })
        XCTAssertEqual(HTTPProbe.get("/healthz", port: port).status, 200)

        try FileManager.default.removeItem(atPath: databaseDirectory)
        XCTAssertTrue(FileManager.default.createFile(atPath: databaseDirectory, contents: Data("not a directory".utf8)))
        XCTAssertTrue(waitUntil(5) { HTTPProbe.get("/healthz", port: port).status == 503 })
        XCTAssertTrue(try waitUntil(5) { try storageFailureLine("OPEN") != nil }, alertLines().joined(separator: "\n"))
        // Meanwhile a device goes offline: kept in memory, its line waits for its commit.
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        waitPast(2, "the offline status is confirmed after 0.5 s and its commit retried every pass")
        XCTAssertEqual(HTTPProbe.get("/healthz", port: port).status, 503)
        XCTAssertFalse(try alerts(event: "OPEN").contains { $0.fields["device"] == "gate-a" })
        XCTAssertNotEqual(try cli(["incidents"]).status, 0, "no database to read")

        try FileManager.default.removeItem(atPath: databaseDirectory)
        XCTAssertTrue(waitUntil(8) { HTTPProbe.get("/healthz", port: port).status == 200 })
        XCTAssertTrue(
            try waitUntil(5) { try alerts(event: "OPEN").filter { $0.fields["device"] == "gate-a" }.count == 1 })
        XCTAssertTrue(try waitUntil(8) { try storageFailureLine("RESOLVE") != nil })
        XCTAssertEqual(try deviceState("gate-a"), "offline")
        XCTAssertEqual(Set(try allIncidents().map(\.rule)), ["offline", "storage-failure"])
        try assertNoOpenIDTwice()
    }

    /// Before: a database deleted while the daemon was stopped came back empty, and the next
    /// incident was INC-000001 again, next to an alert log full of old ids.
    func testAfterTheDatabaseIsLostIdsContinueAfterEveryIdInTheAlertLog() throws {
        try writeConfig(grace: 1, resolveAfter: 1)
        let first = try startDaemon()
        try gateGoesOffline("gate-a")
        try gateGoesOffline("gate-b")
        let highest = try alerts(event: "OPEN").map(\.incident).max()
        first.signal(SIGTERM)
        XCTAssertEqual(first.wait(timeout: 10), 0)
        for file in databaseFiles() { try? FileManager.default.removeItem(atPath: file) }

        let second = try startDaemon()
        XCTAssertTrue(second.log.contains("ids continue after the log's"), second.log)
        try gateGoesOffline("gate-c")
        let newest = try XCTUnwrap(try alerts(event: "OPEN").last)
        XCTAssertEqual(newest.fields["device"], "gate-c")
        XCTAssertGreaterThan(newest.incident, try XCTUnwrap(highest))
        try assertNoOpenIDTwice()
    }

    /// Item 2. Before: the storage-failure OPEN line (written before its commit, by design) kept
    /// its id only in the log; after a crash and restart that id went to another incident, and
    /// the storage failure was never resolved in the log.
    func testACrashDuringAStorageFailureReusesNoIdAndTheFailureResolvesAfterTheRestart() throws {
        try writeConfig(grace: 1, resolveAfter: 1)
        let first = try startDaemon()
        try broker.publish("library/elsewhere/face-gate/gate-live/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-a/face-gate/gate-a/heartbeat", #"{"seq":1}"#)
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-a") == "online" })
        let lock = try DatabaseLock(database: databasePath, logPath: directory + "/lock.log")
        children.append(lock.child)
        // Something to commit (its last_seen), so the daemon finds the database locked.
        try broker.publish("library/site-a/face-gate/gate-a/heartbeat", #"{"seq":2}"#)
        XCTAssertTrue(try waitUntil(6) { try storageFailureLine("OPEN") != nil }, alertLines().joined(separator: "\n"))
        let failure = try XCTUnwrap(try storageFailureLine("OPEN"))
        first.signal(SIGKILL)
        XCTAssertNotNil(first.wait(timeout: 5))
        try lock.release()

        try startDaemon()
        XCTAssertTrue(
            try waitUntil(8) { try alerts(event: "RESOLVE").contains { $0.incident == failure.incident } },
            alertLines().joined(separator: "\n"))
        let detail = try incidentDetail(failure.incident)
        XCTAssertEqual(detail.incident.rule, "storage-failure")
        XCTAssertEqual(detail.incident.status, "resolved")
        XCTAssertEqual(detail.timeline.map(\.event), ["OPEN", "RESOLVE"])
        try gateGoesOffline("gate-b")
        try assertNoOpenIDTwice()
        XCTAssertEqual(try alerts(event: "OPEN").filter { $0.incident == failure.incident }.count, 1)
    }

    /// Item 3. Before: on a full disk a write(2) wrote half a line and the next line was glued
    /// to it. A file-size limit (`prlimit --fsize`, no root needed) makes write(2) short exactly
    /// as ENOSPC does; the daemon must also not die of SIGXFSZ.
    func testAShortWriteOnAFullDiskLeavesOnlyWholeLines() throws {
        try writeConfig(grace: 1, resolveAfter: 1)
        // The log is filled to 100 bytes short of the limit: the next OPEN line (~250 bytes)
        // cannot fit; the database stays far below it.
        let limit = 4 << 20
        let filler = "2026-01-01T00:00:00.000+08:00 NOTE P2 INC-000001 by=filler msg=padding\n"
        let fillers = (limit - 100) / filler.utf8.count - 1
        var text = String(repeating: filler, count: fillers)
        let last = "2026-01-01T00:00:00.000+08:00 NOTE P2 INC-000001 by=filler msg=\n"
        text += last.replacingOccurrences(
            of: "msg=", with: "msg=" + String(repeating: "x", count: limit - 100 - text.utf8.count - last.utf8.count))
        try text.write(toFile: alertLogPath, atomically: false, encoding: .utf8)
        let daemon = try ChildProcess(
            name: "fleetwatchd", executable: "/usr/bin/prlimit",
            arguments: [
                "--fsize=\(limit):unlimited", Binaries.path("fleetwatchd"),
                "--config", configPath,
            ],
            logPath: directory + "/fleetwatchd.log")
        children.append(daemon)
        self.daemon = daemon
        XCTAssertTrue(waitUntil(15) { daemon.log.contains("broker connected") })
        try broker.publish("library/elsewhere/face-gate/gate-live/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-a/face-gate/gate-a/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        XCTAssertTrue(waitUntil(5) { daemon.log.contains("alert log write failed") }, daemon.log)
        XCTAssertTrue(daemon.isRunning, "a file-size limit is a storage failure, not a reason to die")
        XCTAssertEqual(fileSize(alertLogPath), limit - 100, "the partial line was cut back")

        let lifted = try runCommand("/usr/bin/prlimit", ["--pid", String(daemon.pid), "--fsize=unlimited:unlimited"])
        XCTAssertEqual(lifted.status, 0, lifted.stderr)
        XCTAssertTrue(try waitUntil(8) { try alerts(event: "OPEN").contains { $0.fields["device"] == "gate-a" } })
        XCTAssertTrue(
            try waitUntil(8) { try storageFailureLine("RESOLVE") != nil }, alertLines().joined(separator: "\n"))
        let data = try XCTUnwrap(FileManager.default.contents(atPath: alertLogPath))
        XCTAssertEqual(data.last, UInt8(ascii: "\n"))
        let written = alertLines().dropFirst(fillers + 1)
        XCTAssertFalse(written.isEmpty)
        // An event's own timestamp has milliseconds (respond_by= and the like have none): one per line.
        let eventTime = try NSRegularExpression(pattern: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d "#)
        for line in written {
            XCTAssertNotNil(AlertLine(line), "not a whole line: \(line)")
            XCTAssertEqual(
                eventTime.numberOfMatches(in: line, range: NSRange(line.startIndex..., in: line)), 1,
                "not one event per line: \(line)")
        }
        XCTAssertEqual(try alerts(event: "OPEN").filter { $0.fields["device"] == "gate-a" }.count, 1)
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }
}
