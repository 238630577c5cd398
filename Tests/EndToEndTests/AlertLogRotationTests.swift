import Foundation
import XCTest

/// logrotate: `create` (rename, then SIGUSR1 or SIGHUP) and `copytruncate` both keep every line.
final class AlertLogRotationTests: EndToEndTestCase {
    /// One healthy gate (45 s timeout), so two offline gates are not the whole fleet.
    func keepAFaceGateOnline() throws {
        try broker.publish("library/site-c/face-gate/gate-live/heartbeat", "{\"seq\":1}")
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-live") == "online" })
    }

    /// Renames the log, sends `signal`, and checks the next line goes to the new file only.
    func rotateByRename(signal number: Int32) throws {
        try writeConfig(grace: 1)
        let d = try startDaemon()
        try keepAFaceGateOnline()
        // a status alone registers nothing
        try broker.publish("library/site-a/face-gate/gate-a/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        XCTAssertTrue(waitUntil(5) { alertLines(event: "OPEN").count == 1 })
        try FileManager.default.moveItem(atPath: alertLogPath, toPath: alertLogPath + ".1")
        d.signal(number)
        XCTAssertTrue(waitUntil(5) { d.log.contains("alert log reopened") }, d.log)
        // a status alone registers nothing
        try broker.publish("library/site-b/face-gate/gate-b/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-b/face-gate/gate-b/status", "offline")
        XCTAssertTrue(
            waitUntil(5) { alertLines().count == 1 && alertLines()[0].contains("gate-b") },
            alertLines().joined(separator: "\n"))
        let rotated = try String(contentsOfFile: alertLogPath + ".1", encoding: .utf8)
        XCTAssertEqual(rotated.split(separator: "\n").count, 1)
        XCTAssertTrue(rotated.contains("device=gate-a"))
        XCTAssertFalse(rotated.contains("gate-b"))
    }

    func testRenameAndReopenOnSIGUSR1WritesNewLinesToTheNewFile() throws {
        try rotateByRename(signal: SIGUSR1)
    }

    /// SPEC §7: "SIGHUP or SIGUSR1 reopens it" (SIGHUP also reloads the configuration).
    func testRenameAndReopenOnSIGHUPWritesNewLinesToTheNewFile() throws {
        try rotateByRename(signal: SIGHUP)
        XCTAssertTrue(daemon?.log.contains("configuration reloaded") == true)
    }

    func testCopytruncateKeepsAppendingAtTheStart() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        try keepAFaceGateOnline()
        // a status alone registers nothing
        try broker.publish("library/site-a/face-gate/gate-a/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        XCTAssertTrue(waitUntil(5) { alertLines().count == 1 })
        try FileManager.default.copyItem(atPath: alertLogPath, toPath: alertLogPath + ".1")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: alertLogPath))
        try handle.truncate(atOffset: 0)
        try handle.close()
        // a status alone registers nothing
        try broker.publish("library/site-b/face-gate/gate-b/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-b/face-gate/gate-b/status", "offline")
        XCTAssertTrue(waitUntil(5) { alertLines().count == 1 && alertLines()[0].contains("gate-b") })
        // O_APPEND: no hole of NUL bytes where the old content was.
        let data = try Data(contentsOf: URL(fileURLWithPath: alertLogPath))
        XCTAssertFalse(data.contains(0))
    }
}
