import FleetCore
import Foundation
import SystemCalls
import XCTest

/// Operators work incidents through the CLI and the control socket; every step is committed,
/// logged, and shown in the incident's timeline.
final class OperatorWorkflowTests: EndToEndTestCase {
    func openOneIncident(extra: String = "") throws -> String {
        try writeConfig(grace: 1, extra: """
            [[devices]]
            id = "locker-7"
            site = "tianshan"
            kind = "pickup-locker"
            \(extra)
            """)
        try startDaemon()
        XCTAssertTrue(try waitUntil(8) { try incidents().count == 1 })
        return try XCTUnwrap(try incidents().first?["id"] as? String)
    }

    func testAnIncidentIsAcknowledgedDispatchedArrivedNotedAndResolved() throws {
        let id = try openOneIncident()
        let ack = try cli(["ack", id, "--by", "li.wei", "--note", "looking into it"])
        XCTAssertEqual(ack.status, 0, ack.stderr)
        XCTAssertEqual(try incidents().first?["status"] as? String, "acknowledged")
        XCTAssertEqual(try cli(["dispatch", id, "--by", "li.wei"]).status, 0)
        let dispatched = try XCTUnwrap(try incidents().first)
        XCTAssertNotNil(dispatched["onsite_by"] as? String)
        XCTAssertEqual(try cli(["arrive", id, "--by", "zhang.min"]).status, 0)
        XCTAssertEqual(try cli(["note", id, "replaced the door controller", "--by", "zhang.min"]).status, 0)
        XCTAssertEqual(try cli(["resolve", id, "--by", "zhang.min", "--note", "fixed on site"]).status, 0)
        // The locker is still silent: resolving by hand does not make that go away, so a new
        // incident opens for it (issue 20), with a new id and a summary that says why.
        let reopened = try XCTUnwrap(try incidents().first)
        XCTAssertNotEqual(reopened["id"] as? String, id)
        XCTAssertEqual(reopened["summary"] as? String, "still offline after \(id) was resolved by zhang.min")

        let detail = try XCTUnwrap(try cliJSON(["incident", id]) as? [String: Any])
        XCTAssertEqual(detail["status"] as? String, "resolved")
        let timeline = try XCTUnwrap(detail["timeline"] as? [[String: Any]])
        XCTAssertEqual(timeline.map { $0["event"] as? String }, ["OPEN", "ACK", "DISPATCH", "ARRIVE", "NOTE", "RESOLVE"])
        XCTAssertEqual(timeline[1]["by"] as? String, "li.wei")
        XCTAssertEqual(timeline[1]["note"] as? String, "looking into it")
        XCTAssertEqual(timeline[5]["by"] as? String, "zhang.min")
        let events = alertLines().filter { $0.split(separator: " ")[3] == id }.map { $0.split(separator: " ")[1] }
        XCTAssertEqual(events, ["OPEN", "ACK", "DISPATCH", "ARRIVE", "NOTE", "RESOLVE"])
        XCTAssertTrue(alertLines()[1].contains("by=li.wei note=\"looking into it\""), alertLines()[1])
        XCTAssertTrue(alertLines()[2].contains("onsite_by="), alertLines()[2])
        let text = try cli(["incident", id])
        XCTAssertTrue(text.stdout.contains("DISPATCH"), text.stdout)
    }

    func testBadRequestsChangeNothingAndSayWhy() throws {
        let id = try openOneIncident()
        let linesBefore = alertLines()
        let arriveFirst = try cli(["arrive", id, "--by", "li.wei"])
        XCTAssertEqual(arriveFirst.status, 1)
        XCTAssertTrue(arriveFirst.stderr.contains("not been dispatched"), arriveFirst.stderr)
        XCTAssertEqual(arriveFirst.stderr.split(separator: "\n").count, 1)
        XCTAssertEqual(try cli(["ack", "INC-000999", "--by", "li.wei"]).status, 1)
        XCTAssertEqual(try cli(["ack", id]).status, 2, "--by is required")
        XCTAssertEqual(try cli(["ack", "bogus", "--by", "x"]).status, 2)
        XCTAssertEqual(alertLines(), linesBefore)
        XCTAssertEqual(try incidents().first?["status"] as? String, "open")
        XCTAssertEqual(try cli(["ack", id, "--by", "li.wei"]).status, 0)
        XCTAssertEqual(try cli(["ack", id, "--by", "li.wei"]).status, 1, "already acknowledged")
        XCTAssertEqual(try cli(["resolve", id, "--by", "li.wei"]).status, 0)
        XCTAssertEqual(try cli(["ack", id, "--by", "li.wei"]).status, 1, "resolved")
        daemon?.stop()
        let stopped = try cli(["note", id, "hello", "--by", "li.wei"])
        XCTAssertEqual(stopped.status, 1)
        XCTAssertTrue(stopped.stderr.contains("not running"), stopped.stderr)
    }

    /// The control socket reads each connection on its own: a client that connects and says
    /// nothing (for up to the 5 s read timeout) does not hold up another operator's command.
    func testASilentControlClientDoesNotHoldUpOtherCommands() throws {
        let id = try openOneIncident()
        let silent = try connectStream(directory + "/control.sock")
        defer { close(silent) }
        let ack = try cli(["ack", id, "--by", "li.wei"])
        XCTAssertEqual(ack.status, 0, ack.stderr)
        // Still open, with nothing to read: the ack was answered while the silent client waited.
        var byte: UInt8 = 0
        let received = recv(silent, &byte, 1, Int32(MSG_DONTWAIT))
        let error = errno
        XCTAssertEqual(received, -1, "the silent client was answered or closed before the ack")
        XCTAssertEqual(error, EAGAIN)
    }

    /// Silent clients cannot take every reader: past 16 at once, a command is told the daemon is
    /// busy (and changes nothing); once they are gone, commands work again.
    func testTooManySilentControlClientsGetABusyAnswerAndChangeNothing() throws {
        let id = try openOneIncident()
        var silent = try (0..<16).map { _ in try connectStream(directory + "/control.sock") }
        defer { silent.forEach { close($0) } }
        XCTAssertTrue(waitUntil(3) {
            let busy = (try? self.cli(["ack", id, "--by", "li.wei"])) ?? CommandResult(status: -1, stdout: "", stderr: "")
            return busy.status == 1 && busy.stderr.contains("busy")
        })
        XCTAssertEqual(try incidents().first?["status"] as? String, "open")
        silent.forEach { close($0) }
        silent = []
        XCTAssertTrue(waitUntil(5) { (try? self.cli(["ack", id, "--by", "li.wei"]).status) == 0 })
        XCTAssertEqual(try incidents().first?["status"] as? String, "acknowledged")
    }

    /// The daemon's answer to raw bytes sent on the control socket (the write side is then shut).
    private func rawRequest(_ bytes: [UInt8], trickle: Bool = false) throws -> String {
        let fd = try connectStream(directory + "/control.sock")
        defer { close(fd) }
        if trickle {
            for b in bytes {
                _ = [b].withUnsafeBytes { send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }
                Thread.sleep(forTimeInterval: 1)
            }
        } else {
            // The daemon stops reading at 64 KiB and answers: the rest may meet a closed socket.
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            answer.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// A request longer than 64 KiB without a newline is refused as a whole: its first 64 KiB
    /// (here a valid ack) must not be carried out. A request trickled byte by byte is cut off
    /// after 5 s in all.
    func testAnOverlongOrTrickledControlRequestIsRefusedAndChangesNothing() throws {
        let id = try openOneIncident()
        let ack = Array(#"{"op":"ack","incident":"\#(id)","by":"probe"}"#.utf8)
        let overlong = try rawRequest(ack + Array(repeating: UInt8(ascii: " "), count: 70_000) + Array("GARBAGE".utf8))
        XCTAssertTrue(overlong.contains(#""ok":false"#), overlong)
        let trickled = try rawRequest(Array(repeating: UInt8(ascii: " "), count: 8), trickle: true)
        XCTAssertTrue(trickled.contains("within 5 s"), trickled)
        XCTAssertEqual(try incidents().first?["status"] as? String, "open")
        XCTAssertEqual(alertLines(event: "ACK"), [])
    }

    /// `control.socket` naming a file that is not a socket: the daemon refuses to start and the
    /// file is left as it was.
    func testAControlSocketPathThatIsARegularFileIsNotReplaced() throws {
        try writeConfig()
        try "keep me".write(toFile: directory + "/control.sock", atomically: true, encoding: .utf8)
        let d = try startDaemon(waitForBroker: false)
        XCTAssertEqual(d.wait(timeout: 10), 1)
        XCTAssertTrue(d.log.contains("is not a socket"), d.log)
        XCTAssertEqual(try String(contentsOfFile: directory + "/control.sock", encoding: .utf8), "keep me")
    }

    private func connectStream(_ path: String) throws -> Int32 {
        do {
            return try UnixSocketPath.connect(path).rawValue
        } catch {
            throw HarnessError("\(error)")
        }
    }

    func testRespondAndOnsiteBreachesAreAnnouncedOncePerDeadline() throws {
        let id = try openOneIncident(extra: """
            [sla]
            timezone = "Asia/Shanghai"
            service_hours = ["00:00-24:00"]
            respond_within_s = 2
            p2_onsite_within_s = 2
            """)
        XCTAssertTrue(waitUntil(6) { alertLines(event: "SLA-BREACH").count == 1 })
        XCTAssertTrue(alertLines(event: "SLA-BREACH")[0].contains("sla=respond"))
        // Across a restart the breach is not written again.
        daemon?.stop()
        try startDaemon()
        XCTAssertEqual(try cli(["dispatch", id, "--by", "li.wei"]).status, 0)
        XCTAssertTrue(waitUntil(6) { alertLines(event: "SLA-BREACH").count == 2 })
        XCTAssertTrue(alertLines(event: "SLA-BREACH")[1].contains("sla=onsite"))
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(alertLines(event: "SLA-BREACH").count, 2)
    }

    func testMaintenanceWindowSuppressesIncidentsAndDetectionResumesAfter() throws {
        try writeConfig(grace: 1, kinds: ["delivery-robot": "interval_s = 0.5\nmissed = 2"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3", "--at", "4:kill:robot-site01-01"])
        XCTAssertTrue(try waitUntil(8) { try deviceState("robot-site01-01") == "online" })
        let add = try cli(["maintenance", "add", "--device", "robot-site01-01", "--until", "6s", "--reason", "firmware update"])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stdout.hasPrefix("MW-"), add.stdout)
        XCTAssertTrue(try waitUntil(3) { try deviceState("robot-site01-01") == "maintenance" })
        let listed = try XCTUnwrap(try cliJSON(["maintenance", "list"]) as? [[String: Any]])
        XCTAssertEqual(listed.first?["device"] as? String, "robot-site01-01")
        XCTAssertEqual(listed.first?["reason"] as? String, "firmware update")
        // Killed at t=4 inside the window: no incident while it lasts.
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual(try incidents().count, 0)
        // When the window ends detection resumes (with grace): the dead robot goes offline then.
        XCTAssertTrue(try waitUntil(10) { try deviceState("robot-site01-01") == "offline" })
        XCTAssertEqual(try incidents().count, 1)
        XCTAssertEqual(try cli(["maintenance", "remove", "MW-99"]).status, 1)
        XCTAssertEqual(try cli(["maintenance", "add", "--site", "x", "--device", "y", "--until", "1h"]).status, 2)
        XCTAssertEqual(try cli(["maintenance", "add", "--device", "robot-site01-01", "--until", "soon"]).status, 2)
    }

    func testRemovingAWindowEndsItAtOnce() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.3"])
        XCTAssertTrue(try waitUntil(8) { try deviceState("gate-site01-01") == "online" })
        let id = try cli(["maintenance", "add", "--site", "site01", "--until", "1h"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(try waitUntil(3) { try deviceState("gate-site01-01") == "maintenance" })
        XCTAssertEqual(try cli(["maintenance", "remove", id]).status, 0)
        XCTAssertTrue(try waitUntil(3) { try deviceState("gate-site01-01") == "online" })
        XCTAssertEqual((try cliJSON(["maintenance", "list"]) as? [Any])?.count, 0)
    }
}
