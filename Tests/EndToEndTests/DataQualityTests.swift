import Foundation
import XCTest

/// SPEC §11 through the real broker, daemon, CLI and simulator: link quality, error codes, the
/// broker's own values, `fleetwatch device` and `fleetwatch quality`.
final class DataQualityTests: EndToEndTestCase {
    private func detail(_ id: String) throws -> [String: Any] {
        try XCTUnwrap(try cliJSON(["device", id]) as? [String: Any])
    }

    private func quality(_ id: String) throws -> [String: Any] {
        try XCTUnwrap(try detail(id)["quality"] as? [String: Any])
    }

    /// For waiting: a quality count of the device once it is known, 0 before (no assertion).
    private func count(_ field: String, of id: String) -> Int {
        let device = (try? cliJSON(["device", id])) as? [String: Any]
        return (device?["quality"] as? [String: Any])?[field] as? Int ?? 0
    }

    private func opened(_ rule: String) -> [String] {
        alertLines(event: "OPEN").filter { $0.contains(" rule=\(rule) ") }
    }

    private func metricsBody(port: Int) -> String {
        let fd = connectLoopback(port: port)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        let request = Array("GET /metrics HTTP/1.0\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// One robot at site01 beating every 0.5 s, with `steps` as `--at` timeline steps.
    private func robot(_ steps: [String], kinds: String = "delivery-robot", perKind: Int = 1) throws {
        try startSim(["--sites", "1", "--per-kind", String(perKind), "--kinds", kinds, "--interval", "0.5"]
                     + steps.flatMap { ["--at", $0] })
    }

    // MARK: data-loss

    func testADeviceLosingEveryOtherHeartbeatOpensDataLossWithALossRatioOfAboutOneHalf() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig()
        try startDaemon()
        try robot(["0:loss=0.5:robot-site01-01"])
        XCTAssertTrue(waitUntil(25) { opened("data-loss").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(opened("data-loss").first)
        XCTAssertTrue(line.contains(" OPEN P2 ") && line.contains("device=robot-site01-01"), line)
        let q = try quality("robot-site01-01")
        XCTAssertEqual(try XCTUnwrap(q["loss_ratio"] as? Double), 0.5, accuracy: 0.08)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(q["lost"] as? Int), 10)
        XCTAssertEqual(q["reboots"] as? Int, 0)
        XCTAssertEqual(q["window_s"] as? Int, 3600)
        let latency = try XCTUnwrap(q["latency_ms"] as? [String: Any])
        XCTAssertNotNil(latency["p50"] as? Double ?? (latency["p50"] as? Int).map(Double.init))
        XCTAssertTrue(waitUntil(5) {
            let body = metricsBody(port: port)
            return body.contains("fleetwatch_devices_with_data_loss 1")
                && !body.contains("fleetwatch_heartbeats_lost_total 0\n")
        }, metricsBody(port: port))
        XCTAssertFalse(metricsBody(port: port).contains("device=\"robot"), "no per-device labels")
    }

    // MARK: reboot-loop

    func testADeviceRebootingEveryFourthHeartbeatOpensRebootLoopAndShowsNoLoss() throws {
        try writeConfig()
        try startDaemon()
        try robot(["0:reboot-every=4:robot-site01-01"])
        XCTAssertTrue(waitUntil(20) { opened("reboot-loop").count == 1 }, alertLines().joined(separator: "\n"))
        let q = try quality("robot-site01-01")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(q["reboots"] as? Int), 3)
        XCTAssertEqual(q["lost"] as? Int, 0)
        XCTAssertEqual(q["loss_ratio"] as? Int, 0)
        XCTAssertEqual(opened("data-loss"), [])
        XCTAssertNotNil(try detail("robot-site01-01")["uptime_s"] as? Int)
    }

    // MARK: duplicates

    func testDuplicatedHeartbeatsAreCountedAndAreNotLoss() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig()
        try startDaemon()
        try robot(["0:duplicates=0.5:robot-site01-01"])
        XCTAssertTrue(waitUntil(15) { count("duplicates", of: "robot-site01-01") >= 5 })
        let q = try quality("robot-site01-01")
        let received = try XCTUnwrap(q["received"] as? Int), duplicates = try XCTUnwrap(q["duplicates"] as? Int)
        XCTAssertEqual(Double(duplicates), Double(received) / 3, accuracy: 2, "half the heartbeats came twice")
        XCTAssertEqual(q["lost"] as? Int, 0)
        XCTAssertEqual(q["out_of_order"] as? Int, 0)
        XCTAssertTrue(waitUntil(3) { !metricsBody(port: port).contains("fleetwatch_duplicate_heartbeats_total 0\n") })
    }

    // MARK: error codes

    func testACataloguedP1CodeOpensAnErrorIncidentAsP1AndResolvesWhenTheCodeIsGone() throws {
        try writeConfig(resolveAfter: 1)
        try startDaemon()
        try robot(["2:errors=E_DOOR_JAM:locker-site01-01", "6:errors=:locker-site01-01"], kinds: "pickup-locker")
        XCTAssertTrue(waitUntil(10) { opened("error").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(opened("error").first)
        XCTAssertTrue(line.contains(" OPEN P1 "), line)
        XCTAssertTrue(line.contains("device=locker-site01-01 code=E_DOOR_JAM "), line)
        XCTAssertTrue(line.contains(#"msg="E_DOOR_JAM: a locker door is jammed""#), line)
        let id = try XCTUnwrap(line.split(separator: " ").dropFirst(3).first.map(String.init))
        XCTAssertEqual(try detail("locker-site01-01")["errors"] as? [String], ["E_DOOR_JAM"])
        XCTAssertEqual(try detail("locker-site01-01")["incidents"] as? [String], [id])
        let incident = try XCTUnwrap(try cliJSON(["incident", id]) as? [String: Any])
        XCTAssertEqual(incident["code"] as? String, "E_DOOR_JAM")
        XCTAssertEqual(incident["priority"] as? String, "P1")
        XCTAssertTrue(waitUntil(10) { alertLines(event: "RESOLVE").contains { $0.contains(" \(id) ") } })
        XCTAssertTrue(try XCTUnwrap(alertLines(event: "RESOLVE").first).contains("code=E_DOOR_JAM"))
        XCTAssertEqual(try detail("locker-site01-01")["errors"] as? [String], [])
    }

    func testAFaultWithAnErrorCodeCarriesItOnItsOpenLineAndInIncidentJSON() throws {
        try writeConfig()
        try startDaemon()
        try robot(["2:errors=E_BATTERY_TEMP:robot-site01-01", "2:health=fault:robot-site01-01"])
        XCTAssertTrue(waitUntil(10) { opened("fault").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(opened("fault").first)
        XCTAssertTrue(line.contains(" errors=E_BATTERY_TEMP "), line)
        let id = try XCTUnwrap(line.split(separator: " ").dropFirst(3).first.map(String.init))
        let incident = try XCTUnwrap(try cliJSON(["incident", id]) as? [String: Any])
        XCTAssertEqual(incident["errors"] as? [String], ["E_BATTERY_TEMP"])
        XCTAssertEqual(opened("error"), [], "E_BATTERY_TEMP is described only: it opens nothing by itself")
        let table = try cli(["device", "robot-site01-01"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("E_BATTERY_TEMP  battery temperature out of range"), table.stdout)
    }

    // MARK: fleetwatch quality and device

    func testQualityListsTheWorstLossFirstAndFilters() throws {
        try writeConfig()
        try startDaemon()
        try robot(["0:loss=0.25:robot-site01-01", "0:loss=0.5:robot-site01-02"], kinds: "delivery-robot,face-gate",
                  perKind: 3)
        XCTAssertTrue(try waitUntil(15) {
            let rows = (try cliJSON(["quality"]) as? [[String: Any]]) ?? []
            return rows.count == 6 && (rows.first?["lost"] as? Int ?? 0) >= 5
        })
        let rows = try XCTUnwrap(try cliJSON(["quality"]) as? [[String: Any]])
        XCTAssertEqual(rows.prefix(2).compactMap { $0["id"] as? String }, ["robot-site01-02", "robot-site01-01"])
        let ratios = rows.compactMap { ($0["loss_ratio"] as? Double) ?? ($0["loss_ratio"] as? Int).map(Double.init) }
        XCTAssertEqual(ratios, ratios.sorted(by: >))
        XCTAssertEqual(Set(rows[0].keys), ["id", "site", "kind", "received", "lost", "duplicates", "out_of_order",
                                           "reboots", "loss_ratio", "latency_ms"])
        let gates = try XCTUnwrap(try cliJSON(["quality", "--kind", "face-gate"]) as? [[String: Any]])
        XCTAssertEqual(gates.compactMap { $0["kind"] as? String }, ["face-gate", "face-gate", "face-gate"])
        XCTAssertEqual((try cliJSON(["quality", "--site", "nowhere"]) as? [[String: Any]])?.count, 0)
        let table = try cli(["quality"])
        XCTAssertTrue(table.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("robot-site01-02") == true,
                      table.stdout)
    }

    func testDeviceShowsEveryKeyOfTheSpecAndAnUnknownIdFails() throws {
        try writeConfig()
        try startDaemon()
        try robot(["0:latency=300:robot-site01-01"])
        XCTAssertTrue(waitUntil(10) { count("received", of: "robot-site01-01") >= 5 })
        let d = try detail("robot-site01-01")
        for key in ["id", "site", "kind", "name", "state", "state_since", "last_seen", "health", "firmware", "uptime_s",
                    "errors", "metrics", "clock_skew", "quality", "forecasts", "incidents"] {
            XCTAssertTrue(d.keys.contains(key), "device --json lacks \(key)")
        }
        XCTAssertEqual(d["health"] as? String, "ok")
        XCTAssertEqual(d["firmware"] as? String, "sim-1.0")
        XCTAssertEqual((d["metrics"] as? [String: Any])?["battery_pct"] as? Int, 87)
        XCTAssertEqual((d["forecasts"] as? [Any])?.count, 0)
        let latency = try XCTUnwrap((d["quality"] as? [String: Any])?["latency_ms"] as? [String: Any])
        let p50 = try XCTUnwrap((latency["p50"] as? Double) ?? (latency["p50"] as? Int).map(Double.init))
        XCTAssertEqual(p50, 300, accuracy: 60, "300 ms of simulated latency plus the loopback's")
        let unknown = try cli(["device", "robot-99"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "fleetwatch: no device robot-99 (see fleetwatch devices)\n")
    }

    func testDeviceAndQualityWorkWithTheDaemonStoppedFromWhatItLeft() throws {
        try writeConfig()
        try startDaemon()
        try robot(["0:errors=E_BUMPER:robot-site01-01"])
        XCTAssertTrue(waitUntil(10) { count("received", of: "robot-site01-01") >= 4 })
        children.first { $0.name == "fleetsim" }?.stop()
        daemon?.stop()
        let result = try cli(["device", "robot-site01-01", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("fleetwatchd is not running"), result.stderr)
        let d = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(d["live"] as? Bool, false)
        XCTAssertEqual(d["errors"] as? [String], ["E_BUMPER"])
        XCTAssertGreaterThanOrEqual((d["quality"] as? [String: Any])?["received"] as? Int ?? 0, 4)
        XCTAssertEqual((try cliJSON(["quality"]) as? [[String: Any]])?.first?["id"] as? String, "robot-site01-01")
        XCTAssertEqual(try cli(["device", "nope"]).status, 1)
    }

    // MARK: the broker

    func testStatusShowsTheBrokersValuesFromSysAndTheDaemonsLags() throws {
        try writeConfig()
        try startDaemon()
        XCTAssertTrue(try waitUntil(10) {
            let stats = try status()["broker_stats"] as? [String: Any] ?? [:]
            return (stats["clients_connected"] as? Int ?? 0) >= 1 && stats["uptime_s"] is Int
        })
        let s = try status()
        let stats = try XCTUnwrap(s["broker_stats"] as? [String: Any])
        XCTAssertNotNil(stats["messages_dropped"] as? Int)
        XCTAssertTrue((stats["version"] as? String)?.hasPrefix("mosquitto") == true)
        let lag = try XCTUnwrap(s["lag"] as? [String: Any])
        XCTAssertNotNil(lag["ingest_s"] as? NSNumber)
        XCTAssertNotNil(lag["flush_s"] as? NSNumber)
        let table = try cli(["status"])
        XCTAssertTrue(table.stdout.contains("broker   connected (clients "), table.stdout)
        XCTAssertTrue(table.stdout.contains("lag      ingest "), table.stdout)
        daemon?.stop()
        XCTAssertEqual(try status()["broker_stats"] as? [String: Int], [:], "stopped: nothing live to show")
    }

    func testBrokerDroppingOpensWhileTheBrokersDroppedCounterRisesAndResolvesWhenItStops() throws {
        broker.maxQueuedMessages = 5
        try broker.restart()
        try writeConfig(resolveAfter: 1)
        try startDaemon()
        // A persistent QoS 1 session that goes away: the broker queues for it, up to 5, then drops.
        let stalled = try runCommand("/usr/bin/timeout", ["1", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p",
                                                          String(broker.port), "-c", "-i", "stalled", "-q", "1",
                                                          "-t", "elsewhere/#"])
        XCTAssertEqual(stalled.status, 124, stalled.stderr)
        Thread.sleep(forTimeInterval: 1.5)  // the first $SYS value of the counter: the baseline
        for n in 0..<20 { try broker.publish("elsewhere/x", "\(n)") }
        XCTAssertTrue(waitUntil(10) { opened("broker-dropping").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(opened("broker-dropping").first)
        XCTAssertTrue(line.contains(" OPEN P2 ") && line.contains("broker dropped "), line)
        XCTAssertTrue(try waitUntil(3) {
            ((try status()["broker_stats"] as? [String: Any])?["messages_dropped"] as? Int ?? 0) > 0
        })
        // No more drops: clear after three publication intervals (3 s), resolved 1 s later.
        XCTAssertTrue(waitUntil(10) { alertLines(event: "RESOLVE").contains { $0.contains("rule=broker-dropping") } },
                      alertLines().joined(separator: "\n"))
    }
}
