import FleetCore
import Foundation
import SystemCalls
import XCTest

/// Operators work incidents through the CLI and the control socket; every step is committed,
/// logged, and shown in the incident's timeline.
final class OperatorWorkflowTests: EndToEndTestCase {
    func openOneIncident(extra: String = "") throws -> String {
        try writeConfig(
            grace: 1,
            extra: """
                [[devices]]
                id = "locker-7"
                site = "tianshan"
                kind = "pickup-locker"
                \(extra)
                """)
        try startDaemon()
        XCTAssertTrue(try waitUntil(8) { try openIncidents().count == 1 })
        return try XCTUnwrap(try openIncidents().first?.id)
    }

    func testAnIncidentIsAcknowledgedDispatchedArrivedNotedAndResolved() throws {
        let id = try openOneIncident()
        let ack = try cli(["ack", id, "--by", "li.wei", "--note", "looking into it"])
        XCTAssertEqual(ack.status, 0, ack.stderr)
        let acknowledged = try XCTUnwrap(try openIncidents().first)
        XCTAssertEqual(acknowledged.status, "acknowledged")
        XCTAssertNotNil(acknowledged.acknowledgedAt)
        XCTAssertEqual(try cli(["dispatch", id, "--by", "li.wei"]).status, 0)
        let dispatched = try XCTUnwrap(try openIncidents().first)
        XCTAssertNotNil(dispatched.onsiteBy)
        XCTAssertEqual(try cli(["arrive", id, "--by", "zhang.min"]).status, 0)
        XCTAssertEqual(try cli(["note", id, "replaced the door controller", "--by", "zhang.min"]).status, 0)
        XCTAssertEqual(try cli(["resolve", id, "--by", "zhang.min", "--note", "fixed on site"]).status, 0)
        // The locker is still silent: resolving by hand does not make that go away, so a new
        // incident opens for it (issue 20), with a new id and a summary that says why.
        let reopened = try openIncidents()
        XCTAssertEqual(reopened.count, 1)
        XCTAssertNotEqual(reopened.first?.id, id)
        XCTAssertEqual(reopened.first?.summary, "still offline after \(id) was resolved by zhang.min")

        let detail = try incidentDetail(id)
        XCTAssertEqual(detail.incident.status, "resolved")
        let timeline = detail.timeline
        XCTAssertEqual(timeline.map(\.event), ["OPEN", "ACK", "DISPATCH", "ARRIVE", "NOTE", "RESOLVE"])
        XCTAssertEqual(timeline.map { $0.by ?? "-" }, ["-", "li.wei", "li.wei", "zhang.min", "zhang.min", "zhang.min"])
        XCTAssertEqual(timeline.first { $0.event == "ACK" }?.note, "looking into it")
        let lines = try alerts().filter { $0.incident == id }
        XCTAssertEqual(lines.map(\.event), ["OPEN", "ACK", "DISPATCH", "ARRIVE", "NOTE", "RESOLVE"])
        XCTAssertEqual(lines[1].fields["by"], "li.wei")
        XCTAssertEqual(lines[1].fields["note"], "looking into it")
        XCTAssertEqual(lines[2].fields["onsite_by"], dispatched.onsiteBy)
        XCTAssertEqual(lines[5].fields["by"], "zhang.min")
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
        XCTAssertEqual(try openIncidents().first?.status, "open")
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
        XCTAssertTrue(
            waitUntil(3) {
                let busy =
                    (try? self.cli(["ack", id, "--by", "li.wei"])) ?? CommandResult(status: -1, stdout: "", stderr: "")
                return busy.status == 1 && busy.stderr.contains("busy")
            })
        XCTAssertEqual(try openIncidents().first?.status, "open")
        silent.forEach { close($0) }
        silent = []
        XCTAssertTrue(waitUntil(5) { (try? self.cli(["ack", id, "--by", "li.wei"]).status) == 0 })
        XCTAssertEqual(try openIncidents().first?.status, "acknowledged")
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
        XCTAssertEqual(try openIncidents().first?.status, "open")
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
        let id = try openOneIncident(
            extra: """
                [sla]
                timezone = "Asia/Shanghai"
                service_hours = ["00:00-24:00"]
                respond_within_s = 2
                p2_onsite_within_s = 2
                """)
        XCTAssertTrue(waitUntil(10) { alertLines(event: "SLA-BREACH").count == 1 })
        XCTAssertEqual(try alerts(event: "SLA-BREACH").map { $0.fields["sla"] ?? "-" }, ["respond"])
        // Across a restart the breach is not written again (it would be at the first turns).
        daemon?.stop()
        try startDaemon()
        try waitForEngineTurns()
        XCTAssertEqual(try alerts(event: "SLA-BREACH").map { $0.fields["sla"] ?? "-" }, ["respond"])
        XCTAssertEqual(try cli(["dispatch", id, "--by", "li.wei"]).status, 0)
        XCTAssertTrue(waitUntil(10) { alertLines(event: "SLA-BREACH").count == 2 })
        XCTAssertEqual(try alerts(event: "SLA-BREACH").map { $0.fields["sla"] ?? "-" }, ["respond", "onsite"])
        // Once per deadline: the daemon checks every turn, so two more turns would repeat it.
        try waitForEngineTurns()
        XCTAssertEqual(try alerts(event: "SLA-BREACH").map { $0.fields["sla"] ?? "-" }, ["respond", "onsite"])
    }

    /// The robot is killed inside its window: its last will arrives and opens nothing. Checked
    /// after the kill has happened and the daemon has taken it in (not before, as a sleep would).
    func testMaintenanceWindowSuppressesIncidentsAndDetectionResumesAfter() throws {
        try writeConfig(grace: 1, kinds: ["delivery-robot": "interval_s = 1\nmissed = 2"])
        try startDaemon()
        let sim = try startSim([
            "--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3", "--omit-interval",
            "--at", "4:kill:robot-site01-01",
        ])
        XCTAssertTrue(try waitUntil(8) { try deviceState("robot-site01-01") == "online" })
        let add = try cli([
            "maintenance", "add", "--device", "robot-site01-01", "--until", "8s", "--reason", "firmware update",
        ])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stdout.hasPrefix("MW-"), add.stdout)
        XCTAssertTrue(try waitUntil(3) { try deviceState("robot-site01-01") == "maintenance" })
        let listed = try maintenanceWindows()
        XCTAssertEqual(listed.map { $0.device ?? "-" }, ["robot-site01-01"])
        XCTAssertEqual(listed.first?.reason, "firmware update")
        XCTAssertNil(listed.first?.site)
        // Killed at t=4 inside the window: the will is taken in, and no incident comes of it.
        XCTAssertTrue(waitUntil(10) { sim.log.contains("kill robot-site01-01") }, sim.log)
        waitPast(1, "the will's offline takes effect 0.5 s after it arrives")
        try waitForEngineTurns(1)
        XCTAssertEqual(
            try deviceState("robot-site01-01"), "maintenance", "checked after the window ended: proves nothing")
        XCTAssertEqual(try allIncidents(), [])
        XCTAssertEqual(alertLines(), [])
        // When the window ends detection resumes (with grace): the dead robot goes offline then.
        XCTAssertTrue(try waitUntil(15) { try deviceState("robot-site01-01") == "offline" })
        XCTAssertEqual(
            try alertSummaries(), ["OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01"])
        XCTAssertEqual(try cli(["maintenance", "remove", "MW-99"]).status, 1)
        XCTAssertEqual(try cli(["maintenance", "add", "--site", "x", "--device", "y", "--until", "1h"]).status, 2)
        XCTAssertEqual(try cli(["maintenance", "add", "--device", "robot-site01-01", "--until", "soon"]).status, 2)
    }

    func testRemovingAWindowEndsItAtOnce() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.3", "--omit-interval"])
        XCTAssertTrue(try waitUntil(8) { try deviceState("gate-site01-01") == "online" })
        let id = try cli(["maintenance", "add", "--site", "site01", "--until", "1h"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(try waitUntil(3) { try deviceState("gate-site01-01") == "maintenance" })
        XCTAssertEqual(try cli(["maintenance", "remove", id]).status, 0)
        XCTAssertTrue(try waitUntil(3) { try deviceState("gate-site01-01") == "online" })
        XCTAssertEqual(try maintenanceWindows(), [])
    }
}
