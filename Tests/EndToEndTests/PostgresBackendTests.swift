import FleetCore
import Foundation
import Postgres
import XCTest

/// A daemon on PostgreSQL without `[ha]` (role `single`, SPEC §15): everything lives in the
/// database (no SQLite file), the CLI reads it there with the daemon stopped, a second daemon
/// on the same database is refused, and a database restart is a storage failure that clears.
final class PostgresBackendTests: EndToEndTestCase {
    private func database() throws -> PostgresConnection { try PostgresConnection(url: try XCTUnwrap(postgresURL)) }

    func testTheStateLivesInTheDatabaseAndTheCLIReadsItWithTheDaemonStopped() throws {
        try usePostgres()
        try writeConfig()
        let daemon = try startDaemon()
        try startSim([
            "--sites", "1", "--kinds", "delivery-robot,face-gate", "--interval", "0.5",
            "--at", "2:stop:gate-site01-01",
        ])
        XCTAssertTrue(try waitUntil(15) { try openIncidents().count == 1 })
        let status = try daemonStatus()
        XCTAssertEqual([status.role.rawValue, status.daemon.rawValue], ["single", "running"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath), "no SQLite file with backend = postgres")
        XCTAssertEqual(try database().query("SELECT count(*) FROM devices")[0].int(0), 2)

        daemon.stop()
        XCTAssertEqual(try daemonStatus().daemon, .stopped)
        XCTAssertEqual(Set(try deviceList().map(\.id)), ["robot-site01-01", "gate-site01-01"])
        let incident = try XCTUnwrap(try openIncidents().first)
        XCTAssertEqual(incident.device, "gate-site01-01")
        XCTAssertEqual(try incidentDetail(incident.id).timeline.first?.event, "OPEN")
        let day = 86_400.0
        let now = Date().timeIntervalSince1970
        let date = { (t: Double) in
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd"
            f.timeZone = TimeZone(identifier: "Asia/Shanghai")
            return f.string(from: Date(timeIntervalSince1970: t))
        }
        let report = try cli(["report", "--format", "json", "--from", date(now - day), "--to", date(now + 2 * day)])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("\"gate-site01-01\""), report.stdout.prefix(2000).description)
    }

    /// Metric history (SPEC §12) lives in the database too: samples a second apart, written to
    /// `history_samples` within 10 s, and `fleetwatch history DEVICE --json` shows them there,
    /// with the daemon running and stopped; `--hourly` rolls the unrolled hour up from them.
    func testMetricHistoryLivesInTheDatabaseAndTheCLIShowsIt() throws {
        try usePostgres()
        try writeConfig()
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "[storage]\n", with: "[storage]\nhistory_interval_s = 1\n")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let daemon = try startDaemon()
        let robot = "robot-site01-01"
        try startSim([
            "--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5",
            "--at", "1:ramp=battery_pct=-1:\(robot)",
        ])
        let history = { (arguments: [String]) in
            try self.cliDecode([CLIHistorySample].self, ["history", robot] + arguments)
        }
        XCTAssertTrue(
            waitUntil(15) { ((try? history(["--metric", "battery_pct"])) ?? []).count >= 5 },
            "\(String(describing: try? cli(["history", robot, "--json"])))")
        let battery = try history(["--metric", "battery_pct"])
        let times = battery.compactMap { RFC3339.parse($0.ts) }
        XCTAssertEqual(times.count, battery.count)
        XCTAssertEqual(times, times.sorted(), "oldest first")
        XCTAssertEqual(battery.first?.value, 87)
        XCTAssertEqual(Set(try history([]).map(\.metric)), ["battery_pct", "temp_c"])
        XCTAssertGreaterThan(try database().query("SELECT count(*) FROM history_samples")[0].int(0), 0)
        XCTAssertFalse(daemon.log.contains("history is off"), daemon.log)
        XCTAssertFalse(daemon.log.contains("history write failed"), daemon.log)

        daemon.stop()
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath), "no SQLite file with backend = postgres")
        let kept = try history(["--metric", "battery_pct"])
        XCTAssertGreaterThanOrEqual(kept.count, battery.count, "what the daemon wrote, read with it stopped")
        let hourly = try cliDecode([CLIHistoryHour].self, ["history", robot, "--metric", "battery_pct", "--hourly"])
        XCTAssertEqual(hourly.map(\.max).max(), 87, "\(hourly)")  // one hour, or two across an hour's end
        XCTAssertEqual(hourly.map(\.count).reduce(0, +), kept.count)
        let unknown = try cli(["history", robot, "--metric", "fuel_l"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(
            unknown.stderr, "fleetwatch: device \(robot) has no history of fuel_l (it has: battery_pct, temp_c)\n")
    }

    func testASecondDaemonOnTheSameDatabaseWithoutHAIsRefused() throws {
        try usePostgres()
        try writeConfig(extra: "[ha]\nnode = \"first\"")
        try startDaemon()
        let second = directory + "/second.toml"
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
            .replacingOccurrences(of: "node = \"first\"", with: "node = \"second\"")
            .replacingOccurrences(of: controlSocketPath, with: directory + "/second.sock")
        try text.write(toFile: second, atomically: true, encoding: .utf8)
        let result = try runCommand(Binaries.path("fleetwatchd"), ["--config", second], timeout: 20)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("another fleetwatchd (first) is active"), result.stderr)
        XCTAssertTrue(result.stderr.contains("[ha] enabled"), "it says how to run a standby: \(result.stderr)")
    }

    /// A password in `postgres_url` is used and never shown: not in the daemon's log, not in an
    /// error about the database, not in `--check-config`'s messages.
    func testAPasswordInTheURLIsNeverShown() throws {
        let url = try usePostgres()
        let secret = "s3cret-pw"
        postgresURL = url.replacingOccurrences(of: "postgres@", with: "postgres:\(secret)@")
        try writeConfig()
        let daemon = try startDaemon()
        XCTAssertEqual(try daemonStatus().daemon, .running)
        daemon.stop()
        XCTAssertFalse(daemon.log.contains(secret), daemon.log)
        XCTAssertTrue(
            daemon.log.contains("store=postgresql://postgres@127.0.0.1:"), "the URL, without it: \(daemon.log)")

        postgresURL = url.replacingOccurrences(of: "postgres@", with: "postgres:\(secret)@") + "_missing"
        try writeConfig()
        let refused = try runCommand(Binaries.path("fleetwatchd"), ["--config", configPath], timeout: 20)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("storage.postgres_url"), refused.stderr)
        let cli = try cli(["status"])
        XCTAssertEqual(cli.status, 1)
        postgresURL = "postgresql://postgres:\(secret)@127.0.0.1/db?bogus=1"
        try writeConfig()
        let check = try runCommand(Binaries.path("fleetwatchd"), ["--config", configPath, "--check-config"])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(
            check.stderr,
            "config: storage.postgres_url invalid URI query parameter "
                + "(the value is not shown: it may hold a password)\n")
        for text in [refused.stderr, refused.stdout, cli.stderr, check.stderr] {
            XCTAssertFalse(text.contains(secret), text)
        }
    }

    /// Without `[ha]` the daemon is the only writer: a database that goes away is a P1
    /// storage-failure (its line written at once), detection goes on in memory, and once the
    /// database is back what was kept is committed, then announced, and the failure resolves.
    func testADatabaseRestartIsAStorageFailureThatClearsWhenItIsBack() throws {
        try usePostgres()
        try writeConfig()
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5"])
        let gate = try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.5"])
        XCTAssertTrue(try waitUntil(15) { try deviceList().count == 2 })
        let cluster = try postgresCluster()
        cluster.stop()
        XCTAssertTrue(
            waitUntil(10) { alertLines(event: "OPEN").contains { $0.contains("rule=storage-failure") } },
            alertLines().joined(separator: "\n"))
        gate.signal(SIGSTOP)  // silent while the database is away: detected in memory, committed later
        defer { gate.signal(SIGCONT) }
        waitPast(3, "the gate's 1.5 s timeout")
        XCTAssertFalse(
            alertLines(event: "OPEN").contains { $0.contains("device=gate-site01-01") },
            "announced before its commit")
        try cluster.start()
        XCTAssertTrue(
            waitUntil(20) { alertLines(event: "RESOLVE").contains { $0.contains("rule=storage-failure") } },
            alertLines().joined(separator: "\n"))
        XCTAssertEqual(alertLines(event: "OPEN").filter { $0.contains("device=gate-site01-01") }.count, 1)
        let stored = try allIncidents().map(\.rule)
        XCTAssertTrue(stored.contains("storage-failure") && stored.contains("offline"), "\(stored)")
    }
}
