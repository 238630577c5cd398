import Foundation
import XCTest

/// The daemon as systemd sees it: the notify protocol, the watchdog, and the unit files.
final class SystemdTests: EndToEndTestCase {
    /// Every datagram until the daemon exits (at most `timeout` s), with their receive times.
    func receiveUntilExit(
        _ notify: NotifySocket, _ daemon: ChildProcess, timeout: Double = 15
    ) -> [(time: Double, message: String)] {
        var messages: [(time: Double, message: String)] = []
        let end = monotonicSeconds() + timeout
        while daemon.isRunning && monotonicSeconds() < end { messages += notify.receive(for: 0.1) }
        return messages + notify.receive(for: 0.2)
    }

    func testNotifyProtocolReadyStatusWatchdogAndStopping() throws {
        let notify = try NotifySocket(name: directory + "/notify.sock")
        try writeConfig()
        let d = try startDaemon(environment: ["NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "1000000"])
        let received = notify.receive(for: 3)
        let messages = received.map(\.message)
        XCTAssertEqual(messages.filter { $0 == "READY=1" }.count, 1, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("STATUS=") && $0.contains("broker connected") }, "\(messages)")
        // WATCHDOG_USEC = 1 s: a ping every 0.5 s (half of it, SPEC §9), never a gap near 1 s.
        let pings = received.filter { $0.message == "WATCHDOG=1" }.map(\.time)
        XCTAssertGreaterThanOrEqual(pings.count, 4, "\(messages)")
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }.sorted()
        let median = gaps.isEmpty ? 0 : gaps[gaps.count / 2]
        XCTAssertEqual(median, 0.5, accuracy: 0.15, "watchdog period: gaps \(gaps)")
        XCTAssertLessThan(gaps.last ?? 0, 0.9, "a gap this long would let systemd's watchdog fire: \(gaps)")
        // STOPPING=1 after SIGTERM, before the exit; the exit within 5 s (SPEC §9).
        let signalled = monotonicSeconds()
        d.signal(SIGTERM)
        let after = receiveUntilExit(notify, d)
        XCTAssertFalse(d.isRunning)
        XCTAssertLessThan(monotonicSeconds() - signalled, 5.5)
        XCTAssertEqual(after.filter { $0.message == "STOPPING=1" }.count, 1, "\(after.map(\.message))")
        XCTAssertEqual(d.wait(timeout: 5), 0)
    }

    func testAbstractNotifySocketWorksToo() throws {
        let notify = try NotifySocket(name: "@fleetwatch-test-\(UUID().uuidString.prefix(8))")
        try writeConfig()
        try startDaemon(environment: ["NOTIFY_SOCKET": notify.name])
        XCTAssertTrue(notify.receive(for: 1.5).contains { $0.message == "READY=1" })
    }

    func testWatchdogPingsStopWhenTheEngineHangs() throws {
        let notify = try NotifySocket(name: directory + "/notify.sock")
        try writeConfig()
        let d = try startDaemon(environment: [
            "NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "600000",
            "FLEETWATCH_DEBUG_HOOKS": "1",
        ])
        XCTAssertGreaterThanOrEqual(notify.receive(for: 1.5).filter { $0.message == "WATCHDOG=1" }.count, 3)
        d.signal(SIGUSR2)
        _ = notify.receive(for: 0.5)  // a ping already on its way
        XCTAssertEqual(notify.receive(for: 2).filter { $0.message == "WATCHDOG=1" }.count, 0)
        d.signal(SIGKILL)
    }

    func testReloadSendsReloadingThenReady() throws {
        let notify = try NotifySocket(name: directory + "/notify.sock")
        try writeConfig()
        let d = try startDaemon(environment: ["NOTIFY_SOCKET": notify.name])
        _ = notify.receive(for: 0.5)
        d.signal(SIGHUP)
        let messages = notify.receive(for: 1).map(\.message)
        XCTAssertEqual(messages.filter { $0 == "RELOADING=1" || $0 == "READY=1" }, ["RELOADING=1", "READY=1"])
    }

    /// A copy of the unit whose ExecStart points at the binary just built (verify fails on a
    /// missing binary), checked with warnings treated as failures: `verify` exits 0 on unknown
    /// keys and bad values and only prints them.
    func testUnitFileVerifiesWithoutAnyWarning() throws {
        let unit = try installedUnitCopy()
        let result = try runCommand("/usr/bin/systemd-analyze", ["verify", unit])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines), "", result.stderr)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "", result.stdout)
    }

    func testUnitFileIsHardenedToAnExposureOfAtMostTwo() throws {
        let unit = try installedUnitCopy()
        let result = try runCommand("/usr/bin/systemd-analyze", ["security", "--offline=true", unit])
        let line = try XCTUnwrap(
            result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") },
            result.stdout + result.stderr)
        let score = try XCTUnwrap(line.split(separator: " ").compactMap { Double($0) }.first, String(line))
        XCTAssertLessThanOrEqual(score, 2.0, String(line))
        XCTAssertTrue(line.contains("OK"), String(line))
    }

    var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func systemdFile(_ name: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent("systemd/\(name)"), encoding: .utf8)
    }

    /// sysusers.d(5): `systemd-sysusers --dry-run` on an empty root creates exactly the
    /// service's user and group, with no warning.
    func testSysusersFileCreatesTheServiceUserAndGroup() throws {
        let root = directory + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let file = repository.appendingPathComponent("systemd/fleetwatch.sysusers").path
        let result = try runCommand("/usr/bin/systemd-sysusers", ["--dry-run", "--root=\(root)", file])
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = (result.stdout + result.stderr).split(separator: "\n").map(String.init)
        XCTAssertEqual(
            output.filter { $0.hasPrefix("Creating ") }.map { $0.components(separatedBy: " with ").first ?? $0 },
            ["Creating group 'fleetwatch'", "Creating user 'fleetwatch' (Fleetwatch device-health daemon)"],
            result.stdout + result.stderr)
        XCTAssertEqual(
            output.filter { !$0.hasPrefix("Creating ") && !$0.hasPrefix("Would write ") }, [],
            "warnings: \(result.stderr)")
    }

    /// tmpfiles.d(5). Debian 12's systemd-tmpfiles (252) has no --dry-run: the entries are
    /// created for real under a scratch root. The owner is the user sysusers creates (checked
    /// against that file); the copy run here is owned by root, as this machine has no such user.
    func testTmpfilesEntriesCreateTheDaemonsDirectoriesWithTheirModes() throws {
        let text = try systemdFile("fleetwatch.tmpfiles")
        let entries = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map {
            $0.split(separator: " ")
        }
        XCTAssertEqual(
            entries.map { $0.count >= 5 ? "\($0[0]) \($0[1]) \($0[2]) \($0[3]):\($0[4])" : "\($0)" },
            [
                "d /var/lib/fleetwatch 0750 fleetwatch:fleetwatch",
                "d /var/log/fleetwatch 0750 fleetwatch:fleetwatch",
                "d /run/fleetwatch 0750 fleetwatch:fleetwatch",
            ])
        XCTAssertTrue(
            try systemdFile("fleetwatch.sysusers").contains("\nu fleetwatch "),
            "tmpfiles names a user sysusers does not create")
        let root = directory + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let copy = directory + "/fleetwatch.tmpfiles"
        try text.replacingOccurrences(of: " fleetwatch fleetwatch ", with: " root root ").write(
            toFile: copy, atomically: true, encoding: .utf8)
        let result = try runCommand("/usr/bin/systemd-tmpfiles", ["--root=\(root)", "--create", copy])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "warnings")
        for path in ["/var/lib/fleetwatch", "/var/log/fleetwatch", "/run/fleetwatch"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + path)
            XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeDirectory, path)
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o750, path)
        }
    }

    /// logrotate(8) `-d` parses the file and plans the rotation without doing anything (no
    /// postrotate either). The copy checked points at a log in the test directory and creates it
    /// as root (this machine has no fleetwatch user); every other line is the shipped file's.
    func testLogrotateFileParsesWithoutErrors() throws {
        let logrotate = "/usr/sbin/logrotate"
        guard FileManager.default.isExecutableFile(atPath: logrotate) else {
            return XCTFail("logrotate is not installed (scripts/setup installs it)")
        }
        let text = try systemdFile("fleetwatch.logrotate")
        XCTAssertTrue(text.contains("create 0640 fleetwatch fleetwatch"), text)
        try "one line\n".write(toFile: alertLogPath, atomically: true, encoding: .utf8)
        let copy = directory + "/fleetwatch.logrotate"
        try text.replacingOccurrences(of: "/var/log/fleetwatch/alerts.log", with: alertLogPath)
            .replacingOccurrences(of: "create 0640 fleetwatch fleetwatch", with: "create 0640 root root")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let result = try runCommand(logrotate, ["-d", "-f", "-s", directory + "/logrotate.state", copy])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let output = result.stdout + result.stderr
        XCTAssertFalse(output.contains("error:"), output)
        XCTAssertTrue(output.contains("rotating pattern: \(alertLogPath)"), output)
        XCTAssertTrue(output.contains("running postrotate script"), output)
        XCTAssertEqual(
            try String(contentsOfFile: alertLogPath, encoding: .utf8), "one line\n", "debug mode changed the log")
    }

    func installedUnitCopy() throws -> String {
        let text = try systemdFile("fleetwatchd.service")
        let unit = directory + "/fleetwatchd.service"
        try text.replacingOccurrences(of: "/usr/local/bin/fleetwatchd", with: Binaries.path("fleetwatchd"))
            .write(toFile: unit, atomically: true, encoding: .utf8)
        return unit
    }
}
