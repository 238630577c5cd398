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
        XCTAssertTrue(
            lines.contains("config: kinds.delivery-robot.interval_s must be 0.1-86400 (got 0)"), result.stderr)
        XCTAssertTrue(lines.contains("config: devices[0].kind \"toaster\" is not a configured kind"), result.stderr)
        XCTAssertTrue(
            lines.contains("config: storage.alert_log_format must be \"text\" or \"json\" (got \"xml\")"), result.stderr
        )
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
        XCTAssertTrue(
            result.stderr.contains(
                "config: mqtt.password_file names \(directory)/no-such-file, which is missing or not readable"),
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
        // No --config: found through $FLEETWATCH_CONFIG. (The status row lags the connection by
        // up to a second, hence the wait.)
        var status: CLIStatus?
        XCTAssertTrue(
            try waitUntil(10) {
                let result = try runCommand(
                    Binaries.path("fleetwatch"), ["status", "--json"],
                    environment: ["FLEETWATCH_CONFIG": configPath])
                guard result.status == 0 else { throw HarnessError("fleetwatch status: \(result.stderr)") }
                status = try decodeCLIOutput(CLIStatus.self, from: result.stdout, command: ["status"])
                return status?.broker == .connected
            }, "\(String(describing: status))")
        XCTAssertEqual(status?.daemon, .running)
    }

    /// SPEC §8's JSON, key by key and value by value, for one never-heard inventory kiosk: the
    /// typed readers fail on a missing key (even one whose value is null) or a wrong type.
    func testJSONShapesFollowTheSpec() throws {
        try writeConfig(
            grace: 1,
            extra: """
                [[devices]]
                id = "kiosk-1"
                site = "tianshan"
                kind = "digital-human"
                """)
        try startDaemon()
        XCTAssertTrue(try waitUntil(6) { try openIncidents().count == 1 })
        try waitForEngineTurns(1)
        let s = try daemonStatus()
        XCTAssertEqual(s.daemon, .running)
        XCTAssertEqual(s.broker, .connected)
        XCTAssertTrue(
            Set(s.devices.keys).isSuperset(of: ["unknown", "online", "degraded", "offline", "maintenance"]),
            "\(s.devices)")
        XCTAssertEqual(s.devices.filter { $0.value != 0 }, ["offline": 1])
        XCTAssertEqual(s.incidents, ["P1": 0, "P2": 1])
        XCTAssertEqual(s.messages, CLIStatus.Messages(accepted: 0, rejected: [:]))

        let device = try XCTUnwrap(try device("kiosk-1"))
        XCTAssertEqual(
            [device.id, device.site, device.kind, device.state], ["kiosk-1", "tianshan", "digital-human", "offline"])
        XCTAssertTrue(device.stateSince?.hasSuffix("+08:00") == true, "\(device)")
        XCTAssertNil(device.lastSeen, "never heard")

        let incident = try XCTUnwrap(try openIncidents().first)
        XCTAssertEqual(incident.id, "INC-000001")
        XCTAssertEqual(
            [incident.priority, incident.status, incident.rule, incident.scope], ["P2", "open", "offline", "device"])
        XCTAssertEqual([incident.site, incident.kind, incident.device], ["tianshan", "digital-human", "kiosk-1"])
        XCTAssertNil(incident.parent)
        XCTAssertEqual(incident.flapping, false)
        XCTAssertEqual(incident.occurrences, 1)
        XCTAssertTrue(incident.openedAt.hasSuffix("+08:00"), incident.openedAt)
        XCTAssertNil(incident.acknowledgedAt)
        XCTAssertNil(incident.resolvedAt)
        XCTAssertNil(incident.onsiteBy)
        XCTAssertTrue(incident.respondBy?.hasSuffix("+08:00") == true, "\(incident)")
        XCTAssertEqual(incident.summary, "not heard since the daemon started (grace 1s)")
        // The alert line and the listing agree.
        let open = try XCTUnwrap(try alerts(event: "OPEN").first)
        XCTAssertEqual(open.incident, incident.id)
        XCTAssertEqual(open.fields["respond_by"], incident.respondBy)

        let one = try incidentDetail(incident.id)
        XCTAssertEqual(one.incident, incident)
        XCTAssertEqual(one.timeline.map(\.event), ["OPEN"])
        XCTAssertEqual(one.timeline.first?.priority, "P2")
        XCTAssertEqual(one.children, [])
        // Readers work while the daemon is stopped.
        daemon?.stop()
        XCTAssertEqual(try openIncidents(), [incident])
        XCTAssertEqual(try daemonStatus().daemon, .stopped)
        XCTAssertEqual(try daemonStatus().broker, .disconnected)
    }

    /// SPEC §8 filters: `devices --site/--kind/--state` and `incidents --priority`, each as JSON
    /// and as a table, on a fleet with one offline (P2) and two online devices at two sites.
    func testListingFiltersSelectBySiteKindStateAndPriority() throws {
        try writeConfig(
            grace: 1,
            extra: """
                [[devices]]
                id = "kiosk-1"
                site = "tianshan"
                kind = "digital-human"
                """)
        try startDaemon()
        try broker.publish("library/tianshan/face-gate/gate-1/heartbeat", #"{"health":"ok"}"#)
        try broker.publish("library/central/face-gate/gate-2/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(try waitUntil(6) { try openIncidents().count == 1 && deviceList().count == 3 })
        func ids(_ filters: [String]) throws -> [String] { try deviceList(filters).map(\.id).sorted() }
        XCTAssertEqual(try ids(["--site", "tianshan"]), ["gate-1", "kiosk-1"])
        XCTAssertEqual(try ids(["--kind", "face-gate"]), ["gate-1", "gate-2"])
        XCTAssertEqual(try ids(["--state", "offline"]), ["kiosk-1"])
        XCTAssertEqual(try ids(["--site", "central", "--state", "offline"]), [])
        XCTAssertEqual(try openIncidents(["--priority", "P2"]).map { $0.device ?? "-" }, ["kiosk-1"])
        XCTAssertEqual(try openIncidents(["--priority", "P1"]), [])
        let table = try cli(["devices", "--state", "online"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("gate-1") && table.stdout.contains("gate-2"), table.stdout)
        XCTAssertFalse(table.stdout.contains("kiosk-1"), table.stdout)
        let incidentTable = try cli(["incidents", "--priority", "P2"])
        XCTAssertTrue(incidentTable.stdout.contains("kiosk-1"), incidentTable.stdout)
        XCTAssertEqual(try cli(["incidents", "--priority", "P3"]).status, 2)
    }

    /// SPEC §8: `status` shows devices per state per site and kind. The table's breakdown rows
    /// and the JSON's `by_site` say the same: two sites, two kinds, one device offline.
    func testTheStatusTableBreaksDevicesDownPerSiteKindAndState() throws {
        try writeConfig(
            grace: 1,
            extra: """
                [[devices]]
                id = "kiosk-1"
                site = "tianshan"
                kind = "digital-human"
                """)
        try startDaemon()
        try broker.publish("library/tianshan/face-gate/gate-1/heartbeat", #"{"health":"ok"}"#)
        try broker.publish("library/central/face-gate/gate-2/heartbeat", #"{"health":"ok"}"#)
        try broker.publish("library/central/face-gate/gate-3/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(
            try waitUntil(8) { try deviceCount(inState: "online") == 3 && deviceCount(inState: "offline") == 1 })
        XCTAssertEqual(
            Set(try daemonStatus().bySite),
            [
                .init(site: "central", kind: "face-gate", state: "online", count: 2),
                .init(site: "tianshan", kind: "digital-human", state: "offline", count: 1),
                .init(site: "tianshan", kind: "face-gate", state: "online", count: 1),
            ])
        let table = try cli(["status"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(rows.contains(["central", "face-gate", "online", "2"]), table.stdout)
        XCTAssertTrue(rows.contains(["tianshan", "digital-human", "offline", "1"]), table.stdout)
        XCTAssertTrue(rows.contains(["tianshan", "face-gate", "online", "1"]), table.stdout)
        XCTAssertTrue(rows.contains(["SITE", "KIND", "STATE", "DEVICES"]), table.stdout)
        XCTAssertTrue(table.stdout.contains("broker   connected"), table.stdout)
        XCTAssertTrue(table.stdout.contains("P2 1"), table.stdout)
    }

    /// Usage errors exit 2 in all three binaries, as SPEC §8 asks of `fleetwatch`; a broken
    /// configuration stays 1.
    func testUsageErrorsExitTwoInTheDaemonAndTheSimulatorToo() throws {
        XCTAssertEqual(try runCommand(Binaries.path("fleetwatchd"), []).status, 2, "no --config")
        XCTAssertEqual(
            try runCommand(Binaries.path("fleetwatchd"), ["--config", "x", "--log-level", "loud"]).status, 2)
        XCTAssertEqual(
            try runCommand(
                Binaries.path("fleetwatchd"),
                [
                    "--config", directory + "/missing.toml",
                    "--check-config",
                ]
            ).status, 1)
        XCTAssertEqual(try runCommand(Binaries.path("fleetsim"), ["bogus"]).status, 2)
        XCTAssertEqual(try runCommand(Binaries.path("fleetsim"), ["run", "--port", "99999"]).status, 2)
        XCTAssertEqual(
            try runCommand(Binaries.path("fleetsim"), ["run", "--sites", "1000", "--per-kind", "100"]).status, 2)
    }
}
