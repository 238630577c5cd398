import Foundation
import XCTest

/// The CLI keeps working when the configuration file has a problem it does not need (issue 10):
/// an operator breaks `mqtt.port`, the daemon refuses the SIGHUP and runs on, and `status`,
/// `incidents` and `ack` still answer, each with one warning naming the problem. A broken key the
/// CLI does need (`storage`, `control`, `sla.timezone`) stops it, naming that key.
final class TolerantCLITests: EndToEndTestCase {
    private let warning =
        "fleetwatch: warning: config: mqtt.port must be 1-65535 (got 70000); this command does not use it"

    private func rewriteConfig(_ change: (String) -> String) throws {
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        let changed = change(text)
        XCTAssertNotEqual(changed, text, "the change applies")
        try changed.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    private func assertOneWarning(_ result: CommandResult, file: StaticString = #filePath, line: UInt = #line) {
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr, file: file, line: line)
        XCTAssertTrue(lines.first?.hasPrefix(warning) ?? false, result.stderr, file: file, line: line)
    }

    func testStatusIncidentsAndAckWorkWithABrokenMQTTPortAfterARefusedReload() throws {
        try writeConfig(
            grace: 1,
            extra: """
                [[devices]]
                id = "locker-7"
                site = "tianshan"
                kind = "pickup-locker"
                """)
        let daemon = try startDaemon()
        XCTAssertTrue(try waitUntil(8) { try incidents().count == 1 })
        let id = try XCTUnwrap(try incidents().first?["id"] as? String)

        try rewriteConfig { $0.replacingOccurrences(of: "port = \(broker.port)", with: "port = 70000") }
        daemon.signal(SIGHUP)
        XCTAssertTrue(waitUntil(5) { daemon.log.contains("mqtt.port") }, daemon.log)
        XCTAssertTrue(daemon.isRunning, "the daemon refuses the file and keeps running")

        let status = try cli(["status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("daemon   running"), status.stdout)
        assertOneWarning(status)

        let listing = try cli(["incidents", "--json"])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        XCTAssertTrue(listing.stdout.contains("\"id\":\"\(id)\""), listing.stdout)
        assertOneWarning(listing)

        let ack = try cli(["ack", id, "--by", "li.wei", "--note", "port typo on the server, looking"])
        XCTAssertEqual(ack.status, 0, ack.stderr)
        assertOneWarning(ack)
        XCTAssertEqual(try incidents().first?["status"] as? String, "acknowledged")
        XCTAssertTrue(waitUntil(3) { self.alertLines(event: "ACK").count == 1 }, alertLines().joined(separator: "\n"))
    }

    func testABrokenKeyTheCLINeedsStopsItNamingTheKey() throws {
        try writeConfig()
        try startDaemon()
        try rewriteConfig {
            $0.replacingOccurrences(of: "port = \(broker.port)", with: "port = 70000")
                .replacingOccurrences(of: "alert_log_format = \"text\"", with: "alert_log_format = \"xml\"")
        }
        for command in [["status"], ["incidents"], ["ack", "INC-000001", "--by", "li.wei"]] {
            let result = try cli(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stdout)")
            XCTAssertEqual(
                result.stderr.split(separator: "\n").map(String.init),
                [
                    "fleetwatch: config: storage.alert_log_format must be \"text\" or \"json\" (got \"xml\") "
                        + "(check with: fleetwatchd --config \(configPath) --check-config)"
                ], "\(command)")
        }
    }
}
