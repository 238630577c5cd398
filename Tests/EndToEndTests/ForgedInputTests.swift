import Foundation
import SystemCalls
import XCTest

/// Issue 11, items 4, 6, 7 and 10 through the running daemon: what operators and devices send
/// can neither corrupt the alert log nor spoof a terminal, out-of-range values are refused, and
/// unknown ids cannot fill the registry.
final class ForgedInputTests: EndToEndTestCase {
    /// A note that, printed raw, erases its line and draws a RESOLVE nobody wrote; then BEL, a
    /// line separator, NEL, an OSC title and a C1 CSI.
    static let forgedNote =
        "x\u{1B}[2K\u{1B}[1G2026-12-01T16:14:55.140+08:00 RESOLVE P1 INC-000008 rule=fleet-outage by=auto"
        + "\u{2028}\u{85}\u{7}\u{1B}]0;owned\u{7}\u{9B}2J\u{B}\u{C}"

    /// Scalars that must never reach the log or the terminal raw (newline aside, which ends lines).
    private func raw(_ text: String) -> [String] {
        text.unicodeScalars.filter { s in
            let v = s.value
            return (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
                || v == 0x061C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
        }.map { "U+" + String($0.value, radix: 16) }
    }

    /// The daemon's answer to one raw request line on the control socket.
    private func rawRequest(_ bytes: [UInt8]) throws -> String { try rawExchange(bytes).answer }

    /// What the daemon answers, whether it took every byte sent, and whether the connection then
    /// ended cleanly (end of stream) rather than with a reset.
    private func rawExchange(_ bytes: [UInt8]) throws -> (answer: String, sentAll: Bool, cleanEnd: Bool) {
        let socket: FileDescriptor
        do {
            socket = try UnixSocketPath.connect(controlSocketPath)
        } catch {
            throw HarnessError("\(error)")
        }
        defer { socket.release() }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes {
                send(socket.rawValue, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { break }  // refused before the end: the answer may still be there
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var last = 0
        while true {
            last = read(socket.rawValue, &buffer, buffer.count)
            if last <= 0 { break }
            answer.append(contentsOf: buffer[0..<last])
        }
        return (String(decoding: answer, as: UTF8.self), sent == bytes.count, last == 0)
    }

    /// One gate offline (INC-000001) and one that stays online, so one is not the whole fleet.
    private func openOneIncident() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        try broker.publish("library/site-live/face-gate/gate-live/heartbeat", #"{"seq":1}"#)
        try broker.publish("library/site-a/face-gate/gate-a/heartbeat", #"{"seq":1}"#)
        XCTAssertTrue(try waitUntil(5) { try deviceCount(inState: "online") == 2 })
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        XCTAssertTrue(try waitUntil(5) { try openIncidents().map(\.id) == ["INC-000001"] })
    }

    /// Item 4. Before: ESC, BEL, VT, FF, U+2028 and NEL went into the log raw and `tail` and
    /// `incident` printed them; a NUL from the control socket cut the line short and glued the
    /// next event to it.
    func testOperatorAndDeviceTextIsWrittenEscapedAndNoCommandPrintsItRaw() throws {
        try openOneIncident()
        let note = try cli(["note", "INC-000001", "--by", "mallory\u{1B}[31m", Self.forgedNote])
        XCTAssertEqual(note.status, 0, note.stderr)
        // A NUL cannot be an argument (PITFALLS.md): straight through the control socket.
        let nul = try rawRequest(
            Array(#"{"op":"note","incident":"INC-000001","by":"x","text":"a\u0000b"}"#.utf8) + [0x0A])
        XCTAssertTrue(nul.contains(#""ok":true"#), nul)
        // A device's own strings: fw, an error code, a metric string.
        try broker.publish(
            "library/site-live/face-gate/gate-live/heartbeat",
            #"{"seq":2,"fw":"1.0\u001b[2J\u2028","errors":["E_\u001b]0;x\u0007"],"metrics":{"mode":"\u0085z"}}"#)
        try broker.publish("library/site-a/face-gate/gate-a/status", "offline")
        XCTAssertTrue(waitUntil(5) { self.alertLines(event: "NOTE").count == 2 })
        try waitForEngineTurns()

        let log = try XCTUnwrap(try? String(contentsOfFile: alertLogPath, encoding: .utf8))
        XCTAssertEqual(raw(log), [], log)
        XCTAssertEqual(log.split(separator: "\n").count, 3, "OPEN and two NOTE lines, each whole:\n\(log)")
        for line in try alerts() { XCTAssertEqual(line.incident, "INC-000001", line.text) }
        let notes = try alerts(event: "NOTE")
        XCTAssertTrue(notes[0].text.contains(#"by="mallory\u001b[31m""#), notes[0].text)
        XCTAssertTrue(
            notes[0].text.contains(#"\u2028\u0085\u0007\u001b]0;owned\u0007\u009b2J\u000b\u000c"#), notes[0].text)
        XCTAssertTrue(notes[1].text.hasSuffix(#"msg="a\u0000b""#), notes[1].text)

        let everyCommand = [
            ["tail", "-n", "10"], ["incident", "INC-000001"], ["incidents"], ["devices"], ["status"],
            ["device", "gate-live"], ["quality"], ["device", "gate-live", "--json"],
        ]
        for command in everyCommand {
            let result = try cli(command)
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            XCTAssertEqual(raw(result.stdout), [], "\(command) printed raw control characters:\n\(result.stdout)")
        }
        // JSON escapes them too, and reads back as what was sent.
        let detail = try cli(["incident", "INC-000001", "--json"])
        XCTAssertEqual(raw(detail.stdout), [])
        let timeline = try incidentDetail("INC-000001").timeline
        XCTAssertEqual(timeline.compactMap(\.by), ["mallory\u{1B}[31m", "x"])
        let devices = try cli(["devices", "--json"])
        XCTAssertEqual(raw(devices.stdout), [])
    }

    /// Item 6. Before: `interval_s: 1e-9` made a good device overdue at once, `1e300` kept it
    /// online for ever.
    func testAnIntervalOutsideATenthOfASecondToADayIsRefusedAndChangesNothing() throws {
        try writeConfig(grace: 1, kinds: ["face-gate": "interval_s = 0.5\nmissed = 3"])
        try startDaemon()
        try startSim([
            "--sites", "1", "--per-kind", "2", "--kinds", "face-gate", "--interval", "0.5", "--at",
            "8:stop:gate-site01-01",
        ])
        XCTAssertTrue(try waitUntil(10) { try deviceCount(inState: "online") == 2 })
        for bad in ["1e-9", "0.05", "86401", "1e300"] {
            try broker.publish(
                "library/site01/face-gate/gate-site01-01/heartbeat", "{\"seq\":999,\"interval_s\":\(bad)}")
        }
        try waitForIntake(through: "library/site01/face-gate/gate-site01-02/heartbeat")
        XCTAssertEqual(try daemonStatus().messages.rejected, ["bad_field": 4])
        waitPast(2, "a 1e-9 s interval would have made the gate overdue at the next tick")
        XCTAssertEqual(try deviceState("gate-site01-01"), "online")
        // It stops at 8 s: offline after its own 1.5 s, not never (1e300 was not taken either).
        XCTAssertTrue(try waitUntil(10) { try deviceState("gate-site01-01") == "offline" })
        XCTAssertEqual(try deviceState("gate-site01-02"), "online")
    }

    /// Item 7. Before: the daemon took `from = -1e308, until = 1e308`, after which every
    /// `maintenance list` died with SIGILL; `--until 99999999999d` was accepted.
    func testAbsurdMaintenanceTimesAreRefusedAndListingsNeverTrap() throws {
        try openOneIncident()
        let huge = try cli(["maintenance", "add", "--device", "gate-a", "--until", "99999999999d"])
        XCTAssertEqual(huge.status, 2, huge.stderr)
        XCTAssertTrue(huge.stderr.contains("--until must be at most 10 years from now"), huge.stderr)
        let forged = try rawRequest(
            Array(
                #"{"op":"maintenance-add","device":"gate-a","from":-1e308,"until":1e308,"by":"x"}"#.utf8) + [0x0A])
        XCTAssertTrue(forged.contains("within 10 years"), forged)
        XCTAssertEqual(try maintenanceWindows(), [])
        // A window an older daemon stored: every listing still works.
        let stored = try runCommand(
            "/usr/bin/sqlite3",
            [
                databasePath,
                """
                INSERT INTO maintenance(id, site, device, starts_at, ends_at, reason, created_by)
                VALUES (99, NULL, 'gate-a', -1e308, 1e308, 'old', 'x');
                """,
            ])
        XCTAssertEqual(stored.status, 0, stored.stderr)
        for command in [["maintenance", "list"], ["maintenance", "list", "--json"]] {
            let result = try cli(command)
            XCTAssertEqual(result.status, 0, "\(command) exited \(result.status): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("MW-99"), result.stdout)
        }
    }

    /// Item 10. Before: a status from an unknown id registered a phantom device, which then went
    /// offline and opened incidents. An `offline` from an unknown id is counted as
    /// `unknown_device`; an `online` (what every new device says before its first heartbeat) is
    /// not worth counting.
    func testAStatusFromAnUnknownIdRegistersNothing() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        for n in 1...5 {
            try broker.publish("library/site0\(n)/face-gate/phantom-\(n)/status", n % 2 == 0 ? "online" : "offline")
        }
        try waitForIntake(through: "library/site-live/face-gate/gate-live/heartbeat")
        XCTAssertEqual(try daemonStatus().messages.rejected, ["unknown_device": 3])
        waitPast(2, "past the 1 s grace and the 0.5 s status confirmation")
        try waitForEngineTurns()
        XCTAssertEqual(try deviceList().map(\.id), ["gate-live"])
        XCTAssertEqual(alertLines(), [])
    }

    /// Item 10. Before: registry slots were never freed, so after a flood of made-up ids a
    /// legitimate new device was refused (`device_limit`) for good.
    func testDevicesHeardOnceAndNeverAgainAreForgottenAndFreeTheirSlots() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(grace: 1, detection: "max_devices = 3\nforget_after_s = 3")
        try startDaemon()
        try startSim(["--sites", "1", "--per-kind", "1", "--kinds", "face-gate", "--interval", "0.5"])
        for n in 1...2 { try broker.publish("library/flood/face-gate/flood-\(n)/heartbeat", #"{"seq":1}"#) }
        XCTAssertTrue(try waitUntil(10) { try deviceList().count == 3 })
        try broker.publish("library/new/face-gate/gate-new/heartbeat", #"{"seq":1}"#)
        XCTAssertTrue(try waitUntil(10) { try daemonStatus().messages.rejected["device_limit"] == 1 })

        XCTAssertTrue(try waitUntil(10) { try deviceList().map(\.id) == ["gate-site01-01"] })
        XCTAssertTrue(try waitUntil(5) { try status()["devices_forgotten"] as? Int == 2 })
        XCTAssertEqual(try HTTPProbe.metrics(port: port)["fleetwatch_devices_forgotten_total"], 2)
        try broker.publish("library/new/face-gate/gate-new/heartbeat", #"{"seq":2}"#)
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-new") == "online" })
        XCTAssertEqual(try deviceCount(inState: "online"), 2)
    }

    /// Item 10: the database file is created 0640 like the log, the control socket is 0660.
    func testTheDaemonsFilesAreNotReadableByEveryone() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        let mode = { (path: String) in
            (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
        }
        XCTAssertEqual(mode(databasePath), 0o640)
        XCTAssertEqual(mode(alertLogPath), 0o640)
        XCTAssertEqual(mode(controlSocketPath), 0o660)
    }

    /// Item 10: the alert log is opened with O_NOFOLLOW: a link planted at its path is refused
    /// (the daemon does not start) and the file it points to is left alone.
    func testAnAlertLogPathThatIsASymbolicLinkIsRefused() throws {
        let target = directory + "/elsewhere"
        try "precious\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: alertLogPath, withDestinationPath: target)
        try writeConfig(grace: 1)
        let daemon = try startDaemon(waitForBroker: false)
        let status = daemon.wait(timeout: 10)
        XCTAssertNotNil(status, "the daemon started, writing through the link")
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(daemon.log.contains("symbolic links"), daemon.log)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious\n")
    }

    /// Item 10: a password file others can read is worth a warning; one they cannot is not.
    func testAPasswordFileReadableByOthersIsWarnedAbout() throws {
        let password = directory + "/mqtt-password"
        try "secret\n".write(toFile: password, atomically: true, encoding: .utf8)
        chmod(password, 0o644)
        mqttExtra = "username = \"fleetwatchd\"\npassword_file = \"\(password)\""
        try writeConfig(grace: 1)
        let loose = try startDaemon()
        XCTAssertTrue(loose.log.contains("mqtt.password_file is readable by every user"), loose.log)
        loose.stop()
        chmod(password, 0o600)
        let tight = try startDaemon()
        XCTAssertFalse(tight.log.contains("readable by every user"), tight.log)
    }

    /// Item 10. Before: a request of megabytes met a closed socket, and its sender got a reset,
    /// not the reason.
    func testAControlRequestOverTheLimitGetsTheErrorReply() throws {
        try openOneIncident()
        for size in [70_000, 2_000_000] {
            let note =
                #"{"op":"note","incident":"INC-000001","by":"x","text":""# + String(repeating: "a", count: size)
                + "\"}\n"
            let exchange = try rawExchange(Array(note.utf8))
            XCTAssertTrue(exchange.answer.contains("request must be one JSON line of at most 64 KiB"), exchange.answer)
            XCTAssertTrue(exchange.sentAll, "\(size) bytes: the daemon stopped reading and the sender got EPIPE")
            XCTAssertTrue(exchange.cleanEnd, "\(size) bytes: the answer ended with a reset, not the end of the stream")
        }
        let cliNote = try cli(["note", "INC-000001", "--by", "x", String(repeating: "b", count: 100_000)])
        XCTAssertEqual(cliNote.status, 1)
        XCTAssertTrue(cliNote.stderr.contains("at most 64 KiB"), cliNote.stderr)
        XCTAssertEqual(alertLines(event: "NOTE"), [])
    }
}
