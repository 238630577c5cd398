import Foundation
import XCTest

/// The daemon as systemd sees it: the notify protocol, the watchdog, and the unit files.
final class SystemdTests: EndToEndTestCase {
    func testNotifyProtocolReadyStatusWatchdogAndStopping() throws {
        let notify = try NotifySocket(name: directory + "/notify.sock")
        try writeConfig()
        let d = try startDaemon(environment: ["NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "1000000"])
        let messages = notify.receive(for: 2.5).map(\.message)
        XCTAssertEqual(messages.filter { $0 == "READY=1" }.count, 1, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("STATUS=") && $0.contains("broker connected") }, "\(messages)")
        // WATCHDOG_USEC = 1 s: a ping every 0.5 s.
        XCTAssertGreaterThanOrEqual(messages.filter { $0 == "WATCHDOG=1" }.count, 3, "\(messages)")
        d.signal(SIGTERM)
        let after = notify.receive(for: 1).map(\.message)
        XCTAssertTrue(after.contains("STOPPING=1"), "\(after)")
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
        let d = try startDaemon(environment: ["NOTIFY_SOCKET": notify.name, "WATCHDOG_USEC": "600000",
                                              "FLEETWATCH_DEBUG_HOOKS": "1"])
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
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") },
                                 result.stdout + result.stderr)
        let score = try XCTUnwrap(line.split(separator: " ").compactMap { Double($0) }.first, String(line))
        XCTAssertLessThanOrEqual(score, 2.0, String(line))
        XCTAssertTrue(line.contains("OK"), String(line))
    }

    func installedUnitCopy() throws -> String {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: repo.appendingPathComponent("systemd/fleetwatchd.service"), encoding: .utf8)
        let unit = directory + "/fleetwatchd.service"
        try text.replacingOccurrences(of: "/usr/local/bin/fleetwatchd", with: Binaries.path("fleetwatchd"))
            .write(toFile: unit, atomically: true, encoding: .utf8)
        return unit
    }
}
