import Foundation
import XCTest

/// The binaries' command-line contracts: --check-config, exit codes, JSON shapes.
final class CommandLineTests: EndToEndTestCase {
    func testCheckConfigListsEveryProblemWithKeyAndReason() throws {
        try """
            [mqtt]
            port = 70000
            [detection]
            resolve_after_s = -1
            [kinds.delivery-robot]
            interval_s = 0
            [[devices]]
            id = "robot-01"
            site = "tianshan"
            kind = "toaster"
            [storage]
            alert_log_format = "xml"
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let result = try runCommand(Binaries.path("fleetwatchd"), ["--config", configPath, "--check-config"])
        XCTAssertNotEqual(result.status, 0)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("config: mqtt.port must be 1-65535 (got 70000)"), result.stderr)
        XCTAssertTrue(lines.contains("config: detection.resolve_after_s must be 0-86400 (got -1)"), result.stderr)
        XCTAssertTrue(lines.contains("config: kinds.delivery-robot.interval_s must be 0.1-86400 (got 0)"), result.stderr)
        XCTAssertTrue(lines.contains("config: devices[0].kind \"toaster\" is not a configured kind"), result.stderr)
        XCTAssertTrue(lines.contains("config: storage.alert_log_format must be \"text\" or \"json\" (got \"xml\")"), result.stderr)
        // The daemon refuses to start on it with the same message.
        let run = try runCommand(Binaries.path("fleetwatchd"), ["--config", configPath])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("config: mqtt.port must be 1-65535 (got 70000)"))
    }

    func testCheckConfigNamesAMissingPasswordFile() throws {
        mqttExtra = "username = \"fleetwatchd\"\npassword_file = \"\(directory)/no-such-file\""
        try writeConfig()
        let result = try runCommand(Binaries.path("fleetwatchd"), ["--config", configPath, "--check-config"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("config: mqtt.password_file names \(directory)/no-such-file, which is missing or not readable"),
                      result.stderr)
    }

    func testCheckConfigAcceptsAValidFile() throws {
        try writeConfig()
        let result = try runCommand(Binaries.path("fleetwatchd"), ["--config", configPath, "--check-config"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testCLIExitCodes() throws {
        try writeConfig()
        try startDaemon()
        XCTAssertEqual(try cli(["devices", "--state", "napping"]).status, 2)
        XCTAssertEqual(try cli(["devices", "--state", "sleeping"]).status, 0, "sleeping is a state (SPEC §5, §10)")
        XCTAssertEqual(try cli(["incident", "not-an-id"]).status, 2)
        XCTAssertEqual(try cli(["frobnicate"]).status, 2)
        let missing = try cli(["incident", "INC-999999"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1)
        let noConfig = try runCommand(Binaries.path("fleetwatch"), ["status", "--config", directory + "/nope.toml"])
        XCTAssertEqual(noConfig.status, 1)
    }

    func testConfigIsFoundThroughTheEnvironment() throws {
        try writeConfig()
        try startDaemon()
        let result = try runCommand(Binaries.path("fleetwatch"), ["status", "--json"],
                                    environment: ["FLEETWATCH_CONFIG": configPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"daemon\":\"running\""))
    }

    func testJSONShapesFollowTheSpec() throws {
        try writeConfig(grace: 1, extra: """
            [[devices]]
            id = "kiosk-1"
            site = "tianshan"
            kind = "digital-human"
            """)
        try startDaemon()
        XCTAssertTrue(try waitUntil(6) { try incidents().count == 1 })
        let s = try status()
        XCTAssertEqual(s["daemon"] as? String, "running")
        XCTAssertEqual(s["broker"] as? String, "connected")
        XCTAssertEqual((s["devices"] as? [String: Int])?["offline"], 1)
        XCTAssertEqual((s["incidents"] as? [String: Int])?["P2"], 1)
        XCTAssertNotNil((s["messages"] as? [String: Any])?["accepted"] as? Int)
        XCTAssertNotNil((s["messages"] as? [String: Any])?["rejected"] as? [String: Any])

        let device = try XCTUnwrap(try devices()["kiosk-1"])
        for key in ["id", "site", "kind", "state", "state_since", "last_seen"] { XCTAssertTrue(device.keys.contains(key), key) }

        let incident = try XCTUnwrap(try incidents().first)
        for key in ["id", "priority", "status", "rule", "scope", "site", "kind", "device", "parent", "flapping",
                    "occurrences", "opened_at", "acknowledged_at", "resolved_at", "respond_by", "onsite_by", "summary"] {
            XCTAssertTrue(incident.keys.contains(key), key)
        }
        let opened = try XCTUnwrap(incident["opened_at"] as? String)
        XCTAssertTrue(opened.hasSuffix("+08:00"), opened)
        let id = try XCTUnwrap(incident["id"] as? String)
        XCTAssertTrue(id.hasPrefix("INC-"))

        let one = try XCTUnwrap(try cliJSON(["incident", id]) as? [String: Any])
        let timeline = try XCTUnwrap(one["timeline"] as? [[String: Any]])
        XCTAssertEqual(timeline.first?["event"] as? String, "OPEN")
        XCTAssertNotNil(one["children"] as? [Any])
        // Readers work while the daemon is stopped.
        daemon?.stop()
        XCTAssertEqual(try incidents().count, 1)
        XCTAssertEqual(try status()["daemon"] as? String, "stopped")
    }

    /// SPEC §8 filters: `devices --site/--kind/--state` and `incidents --priority`, each as JSON
    /// and as a table, on a fleet with one offline (P2) and two online devices at two sites.
    func testListingFiltersSelectBySiteKindStateAndPriority() throws {
        try writeConfig(grace: 1, extra: """
            [[devices]]
            id = "kiosk-1"
            site = "tianshan"
            kind = "digital-human"
            """)
        try startDaemon()
        try broker.publish("library/tianshan/face-gate/gate-1/heartbeat", #"{"health":"ok"}"#)
        try broker.publish("library/central/face-gate/gate-2/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(try waitUntil(6) { try incidents().count == 1 && devices().count == 3 })
        func ids(_ arguments: [String]) throws -> [String] {
            ((try cliJSON(arguments) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
        }
        XCTAssertEqual(try ids(["devices", "--site", "tianshan"]), ["gate-1", "kiosk-1"])
        XCTAssertEqual(try ids(["devices", "--kind", "face-gate"]), ["gate-1", "gate-2"])
        XCTAssertEqual(try ids(["devices", "--state", "offline"]), ["kiosk-1"])
        XCTAssertEqual(try ids(["devices", "--site", "central", "--state", "offline"]), [])
        XCTAssertEqual(try ids(["incidents", "--priority", "P2"]).count, 1)
        XCTAssertEqual(try ids(["incidents", "--priority", "P1"]), [])
        let table = try cli(["devices", "--state", "online"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("gate-1") && table.stdout.contains("gate-2"), table.stdout)
        XCTAssertFalse(table.stdout.contains("kiosk-1"), table.stdout)
        let incidentTable = try cli(["incidents", "--priority", "P2"])
        XCTAssertTrue(incidentTable.stdout.contains("kiosk-1"), incidentTable.stdout)
        XCTAssertEqual(try cli(["incidents", "--priority", "P3"]).status, 2)
    }

    /// Usage errors exit 2 in all three binaries, as SPEC §8 asks of `fleetwatch`; a broken
    /// configuration stays 1.
    func testUsageErrorsExitTwoInTheDaemonAndTheSimulatorToo() throws {
        XCTAssertEqual(try runCommand(Binaries.path("fleetwatchd"), []).status, 2, "no --config")
        XCTAssertEqual(try runCommand(Binaries.path("fleetwatchd"), ["--config", "x", "--log-level", "loud"]).status, 2)
        XCTAssertEqual(try runCommand(Binaries.path("fleetwatchd"), ["--config", directory + "/missing.toml",
                                                                     "--check-config"]).status, 1)
        XCTAssertEqual(try runCommand(Binaries.path("fleetsim"), ["bogus"]).status, 2)
        XCTAssertEqual(try runCommand(Binaries.path("fleetsim"), ["run", "--port", "99999"]).status, 2)
        XCTAssertEqual(try runCommand(Binaries.path("fleetsim"), ["run", "--sites", "1000", "--per-kind", "100"]).status, 2)
    }
}
