import Foundation
import XCTest

/// `/metrics` and `/healthz` on metrics.listen.
final class MetricsTests: EndToEndTestCase {
    func get(_ path: String, port: Int) -> (status: Int, body: String) {
        let fd = connectLoopback(port: port)
        guard fd >= 0 else { return (0, "") }
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.0\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
    }

    func testMetricsServeTheSpecSeriesAndHealthFollowsTheBroker() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(grace: 1, detection: "broker_down_p1_after_s = 1.5", kinds: ["face-gate": "interval_s = 0.5"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.3"])
        try broker.publish("library/site01/face-gate/gate-site01-01/heartbeat", "{oops")
        XCTAssertTrue(waitUntil(5) {
            let body = get("/metrics", port: port).body
            return body.contains("fleetwatch_devices{state=\"online\"} 1")
                && body.contains("fleetwatch_messages_total{result=\"rejected\",reason=\"bad_json\"} 1")
        }, get("/metrics", port: port).body)
        let body = get("/metrics", port: port).body
        for series in ["fleetwatch_messages_total{result=\"accepted\"}", "fleetwatch_open_incidents{priority=\"P1\"} 0",
                       "fleetwatch_open_incidents{priority=\"P2\"} 0", "fleetwatch_ingest_lag_seconds",
                       "fleetwatch_db_flush_seconds_count", "fleetwatch_alert_log_write_errors_total 0",
                       "fleetwatch_broker_connected 1"] {
            XCTAssertTrue(body.contains(series), series)
        }
        XCTAssertEqual(get("/healthz", port: port).status, 200)
        XCTAssertEqual(get("/nope", port: port).status, 404)
        broker.stop()
        XCTAssertTrue(waitUntil(6) { get("/healthz", port: port).status == 503 })
        try broker.start()
        XCTAssertTrue(waitUntil(15) { get("/healthz", port: port).status == 200 })
    }

    /// SPEC §9: `/healthz` answers 503 while the database cannot be written, 200 once it can.
    func testHealthFailsWhileTheDatabaseCannotBeWritten() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(grace: 1, kinds: ["face-gate": "interval_s = 0.5\nmissed = 4"])
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "face-gate", "--interval", "0.3"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("gate-site01-01") == "online" })
        XCTAssertEqual(get("/healthz", port: port).status, 200)
        let locker = try ChildProcess(
            name: "sqlite3-lock", executable: "/bin/sh",
            arguments: ["-c", "(echo 'BEGIN EXCLUSIVE;'; sleep 4; echo 'COMMIT;') | /usr/bin/sqlite3 '\(databasePath)'"],
            logPath: directory + "/lock.log")
        children.append(locker)
        XCTAssertTrue(waitUntil(4) { get("/healthz", port: port).status == 503 })
        XCTAssertTrue(get("/metrics", port: port).body.contains("fleetwatch_db_write_failing 1"))
        locker.wait(timeout: 10)
        XCTAssertTrue(waitUntil(6) { get("/healthz", port: port).status == 200 })
    }
}
