import Foundation
import XCTest

/// `/metrics` and `/healthz` on metrics.listen.
final class MetricsTests: EndToEndTestCase {
    func get(_ path: String, port: Int) -> (status: Int, body: String) { HTTPProbe.get(path, port: port) }

    /// TCP ports a process listens on: its socket inodes (/proc/PID/fd) matched against the
    /// LISTEN (0A) rows of /proc/PID/net/tcp and tcp6.
    func listeningPorts(of pid: Int32) throws -> [Int] {
        let fdDirectory = "/proc/\(pid)/fd"
        var inodes = Set<String>()
        for fd in try FileManager.default.contentsOfDirectory(atPath: fdDirectory) {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"),
                target.hasPrefix("socket:[")
            else { continue }
            inodes.insert(String(target.dropFirst(8).dropLast()))
        }
        var ports: [Int] = []
        for table in ["tcp", "tcp6"] {
            let text = try String(contentsOfFile: "/proc/\(pid)/net/\(table)", encoding: .utf8)
            for row in text.split(separator: "\n").dropFirst() {
                let columns = row.split(separator: " ")
                guard columns.count > 9, columns[3] == "0A", inodes.contains(String(columns[9])),
                    let port = columns[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) })
                else { continue }
                ports.append(port)
            }
        }
        return ports
    }

    /// SPEC §4: `metrics.listen = ""` turns the endpoint off: the daemon listens on no TCP port
    /// at all. The same probe finds the listener when one is configured.
    func testAnEmptyMetricsListenOpensNoListener() throws {
        metricsListen = ""
        try writeConfig()
        let quiet = try startDaemon()
        XCTAssertEqual(try listeningPorts(of: quiet.pid), [])
        quiet.stop()
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig()
        let listening = try startDaemon()
        XCTAssertTrue(try waitUntil(5) { try listeningPorts(of: listening.pid) == [port] })
        XCTAssertEqual(get("/healthz", port: port).status, 200)
    }

    func testMetricsServeTheSpecSeriesAndHealthFollowsTheBroker() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(grace: 1, detection: "broker_down_p1_after_s = 1.5")
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.3", "--omit-interval"])
        try broker.publish("library/site01/face-gate/gate-site01-01/heartbeat", "{oops")
        var samples: [String: Double] = [:]
        XCTAssertTrue(
            try waitUntil(10) {
                samples = try HTTPProbe.metrics(port: port)
                return samples["fleetwatch_devices{state=\"online\"}"] == 1
                    && samples["fleetwatch_messages_total{result=\"rejected\",reason=\"bad_json\"}"] == 1
            }, "\(samples)")
        XCTAssertGreaterThan(samples["fleetwatch_messages_total{result=\"accepted\"}"] ?? 0, 0, "\(samples)")
        for (series, value) in [
            "fleetwatch_open_incidents{priority=\"P1\"}": 0.0, "fleetwatch_open_incidents{priority=\"P2\"}": 0,
            "fleetwatch_alert_log_write_errors_total": 0, "fleetwatch_broker_connected": 1,
            "fleetwatch_db_write_failing": 0,
        ] {
            XCTAssertEqual(samples[series], value, series)
        }
        for series in ["fleetwatch_ingest_lag_seconds", "fleetwatch_db_flush_seconds_count"] {
            XCTAssertNotNil(samples[series], series)
        }
        XCTAssertEqual(get("/healthz", port: port).status, 200)
        XCTAssertEqual(get("/nope", port: port).status, 404)
        broker.stop()
        let lost = monotonicSeconds()
        XCTAssertTrue(waitUntil(10, interval: 0.05) { get("/healthz", port: port).status == 503 })
        XCTAssertGreaterThanOrEqual(monotonicSeconds() - lost, 1.4, "503 before broker_down_p1_after_s (1.5 s)")
        XCTAssertEqual(try HTTPProbe.metrics(port: port)["fleetwatch_broker_connected"], 0)
        try broker.start()
        XCTAssertTrue(waitUntil(reconnectTimeout) { get("/healthz", port: port).status == 200 })
        XCTAssertEqual(try HTTPProbe.metrics(port: port)["fleetwatch_broker_connected"], 1)
    }

    /// SPEC §9: `/healthz` answers 503 while the database cannot be written, 200 once it can.
    func testHealthFailsWhileTheDatabaseCannotBeWritten() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(grace: 1, kinds: ["face-gate": "interval_s = 1\nmissed = 4"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.3", "--omit-interval"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("gate-site01-01") == "online" })
        XCTAssertEqual(get("/healthz", port: port).status, 200)
        let lock = try DatabaseLock(database: databasePath, logPath: directory + "/lock.log")
        XCTAssertTrue(waitUntil(10) { get("/healthz", port: port).status == 503 })
        XCTAssertEqual(try HTTPProbe.metrics(port: port)["fleetwatch_db_write_failing"], 1)
        try lock.release()
        XCTAssertTrue(waitUntil(10) { get("/healthz", port: port).status == 200 })
        XCTAssertEqual(try HTTPProbe.metrics(port: port)["fleetwatch_db_write_failing"], 0)
    }
}
