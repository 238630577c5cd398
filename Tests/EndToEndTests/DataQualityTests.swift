import Foundation
import XCTest

/// SPEC §11 through the real broker, daemon, CLI and simulator: link quality, error codes, the
/// broker's own values, `fleetwatch device` and `fleetwatch quality`. The broker publishes its
/// `$SYS` values every second (`sys_interval 1`).
final class DataQualityTests: EndToEndTestCase {
    override func setUpWithError() throws {
        broker.extraSettings = "sys_interval 1"
        try super.setUpWithError()
    }

    /// For waiting: the device's quality once the daemon knows it, nil before (no assertion).
    private func currentQuality(_ id: String) -> CLIQuality? { (try? deviceDetail(id))?.quality }

    private func opened(_ rule: String) throws -> [AlertLine] {
        try alerts(event: "OPEN").filter { $0.fields["rule"] == rule }
    }

    private func metrics(port: Int) throws -> [String: Double] {
        try HTTPProbe.samples(HTTPProbe.get("/metrics", port: port).body)
    }

    /// Devices at site01 beating every 0.5 s, with `steps` as `--at` timeline steps.
    private func fleet(_ steps: [String], kinds: String = "delivery-robot", perKind: Int = 1) throws {
        try startSim(
            ["--sites", "1", "--per-kind", String(perKind), "--kinds", kinds, "--interval", "0.5"]
                + steps.flatMap { ["--at", $0] })
    }

    // MARK: data-loss

    func testADeviceLosingEveryOtherHeartbeatOpensDataLossWithALossRatioOfAboutOneHalf() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig()
        try startDaemon()
        try fleet(["0:loss=0.5:robot-site01-01"])
        XCTAssertTrue(try waitUntil(25) { try opened("data-loss").count == 1 }, alertLines().joined(separator: "\n"))
        XCTAssertEqual(
            try opened("data-loss").map(\.summary),
            ["OPEN P2 rule=data-loss site=site01 kind=delivery-robot device=robot-site01-01"])
        let q = try deviceDetail("robot-site01-01").quality
        XCTAssertEqual(q.lossRatio, 0.5, accuracy: 0.08)
        XCTAssertGreaterThanOrEqual(q.lost, 10)
        XCTAssertEqual(q.reboots, 0)
        XCTAssertEqual(q.duplicates, 0)
        XCTAssertEqual(try deviceDetail("robot-site01-01").windowS, 3600)
        XCTAssertNotNil(q.latencyMs, "fleetsim heartbeats carry ts")
        XCTAssertTrue(
            try waitUntil(5) {
                let m = try metrics(port: port)
                return m["fleetwatch_devices_with_data_loss"] == 1 && (m["fleetwatch_heartbeats_lost_total"] ?? 0) >= 10
            })
        XCTAssertEqual(try metrics(port: port)["fleetwatch_device_reboots_total"], 0)
        let labelled = try metrics(port: port).keys.filter { $0.contains("device=") }
        XCTAssertEqual(labelled, [], "no per-device labels")
    }

    // MARK: reboot-loop

    func testADeviceRebootingEveryFourthHeartbeatOpensRebootLoopAndShowsNoLoss() throws {
        try writeConfig()
        try startDaemon()
        try fleet(["0:reboot-every=4:robot-site01-01"])
        XCTAssertTrue(try waitUntil(20) { try opened("reboot-loop").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(try opened("reboot-loop").first)
        XCTAssertEqual(line.summary, "OPEN P2 rule=reboot-loop site=site01 kind=delivery-robot device=robot-site01-01")
        XCTAssertEqual(line.fields["msg"], "3 reboots within 3600s")
        let d = try deviceDetail("robot-site01-01")
        XCTAssertGreaterThanOrEqual(d.quality.reboots, 3)
        XCTAssertEqual(d.quality.lost, 0)
        XCTAssertEqual(d.quality.lossRatio, 0)
        XCTAssertEqual(d.quality.outOfOrder, 0)
        XCTAssertLessThan(try XCTUnwrap(d.uptimeS), 5, "uptime_s starts over at every reboot")
        XCTAssertEqual(try opened("data-loss"), [])
    }

    // MARK: duplicates

    func testDuplicatedHeartbeatsAreCountedAndAreNotLoss() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig()
        try startDaemon()
        try fleet(["0:duplicates=0.5:robot-site01-01"])
        XCTAssertTrue(waitUntil(15) { (currentQuality("robot-site01-01")?.duplicates ?? 0) >= 5 })
        let q = try deviceDetail("robot-site01-01").quality
        XCTAssertEqual(Double(q.duplicates), Double(q.received) / 3, accuracy: 2, "half the heartbeats came twice")
        XCTAssertEqual(q.lost, 0)
        XCTAssertEqual(q.outOfOrder, 0)
        XCTAssertTrue(try waitUntil(3) { (try metrics(port: port)["fleetwatch_duplicate_heartbeats_total"] ?? 0) >= 5 })
    }

    // MARK: error codes

    func testACataloguedP1CodeOpensAnErrorIncidentAsP1AndResolvesWhenTheCodeIsGone() throws {
        try writeConfig(resolveAfter: 1)
        try startDaemon()
        try fleet(["2:errors=E_DOOR_JAM:locker-site01-01", "6:errors=:locker-site01-01"], kinds: "pickup-locker")
        XCTAssertTrue(try waitUntil(10) { try opened("error").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(try opened("error").first)
        XCTAssertEqual(line.summary, "OPEN P1 rule=error site=site01 kind=pickup-locker device=locker-site01-01")
        XCTAssertEqual(line.fields["code"], "E_DOOR_JAM")
        XCTAssertEqual(line.fields["msg"], "E_DOOR_JAM: a locker door is jammed")
        XCTAssertTrue(
            line.text.contains(" device=locker-site01-01 code=E_DOOR_JAM "), "code= follows the scope: \(line)")
        let d = try deviceDetail("locker-site01-01")
        XCTAssertEqual(d.errors, ["E_DOOR_JAM"])
        XCTAssertEqual(d.incidents, [line.incident])
        let incident = try XCTUnwrap(try cliJSON(["incident", line.incident]) as? [String: Any])
        XCTAssertEqual(incident["code"] as? String, "E_DOOR_JAM")
        XCTAssertEqual(incident["priority"] as? String, "P1")
        XCTAssertTrue(try waitUntil(10) { try alerts(event: "RESOLVE").contains { $0.incident == line.incident } })
        XCTAssertEqual(try alerts(event: "RESOLVE").first?.fields["code"], "E_DOOR_JAM")
        XCTAssertEqual(try deviceDetail("locker-site01-01").errors, [])
    }

    func testAFaultWithAnErrorCodeCarriesItOnItsOpenLineAndInIncidentJSON() throws {
        try writeConfig()
        try startDaemon()
        try fleet(["2:errors=E_BATTERY_TEMP:robot-site01-01", "2:health=fault:robot-site01-01"])
        XCTAssertTrue(try waitUntil(10) { try opened("fault").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(try opened("fault").first)
        XCTAssertEqual(line.fields["errors"], "E_BATTERY_TEMP")
        let incident = try XCTUnwrap(try cliJSON(["incident", line.incident]) as? [String: Any])
        XCTAssertEqual(incident["errors"] as? [String], ["E_BATTERY_TEMP"])
        // An error incident would have been committed with the fault, from the same heartbeat.
        XCTAssertEqual(try opened("error"), [], "E_BATTERY_TEMP is described only: it opens nothing by itself")
        let table = try cli(["device", "robot-site01-01"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("E_BATTERY_TEMP  battery temperature out of range"), table.stdout)
    }

    // MARK: fleetwatch quality and device

    func testQualityListsTheWorstLossFirstAndFilters() throws {
        try writeConfig()
        try startDaemon()
        try fleet(
            ["0:loss=0.25:robot-site01-01", "0:loss=0.5:robot-site01-02"], kinds: "delivery-robot,face-gate",
            perKind: 3)
        XCTAssertTrue(
            waitUntil(15) {
                let rows = (try? qualityRows()) ?? []
                return rows.count == 6 && rows.first.map { $0.quality.lost >= 5 } == true
            })
        let rows = try qualityRows()
        XCTAssertEqual(rows.prefix(2).map(\.id), ["robot-site01-02", "robot-site01-01"])
        XCTAssertEqual(rows.map(\.quality.lossRatio), rows.map(\.quality.lossRatio).sorted(by: >))
        let keys = try XCTUnwrap((try cliJSON(["quality"]) as? [[String: Any]])?.first?.keys)
        XCTAssertEqual(
            Set(keys),
            [
                "id", "site", "kind", "received", "lost", "duplicates", "out_of_order", "reboots",
                "loss_ratio", "latency_ms",
            ])
        XCTAssertEqual(try qualityRows(["--kind", "face-gate"]).map(\.kind), ["face-gate", "face-gate", "face-gate"])
        XCTAssertEqual(try qualityRows(["--site", "nowhere"]).count, 0, "a site with no devices: an empty list")
        let empty = try cli(["quality", "--site", ""])
        XCTAssertEqual(empty.status, 2, "a filter that names nothing is a usage error")
        XCTAssertTrue(empty.stderr.contains("--site must be an id"), empty.stderr)
        let table = try cli(["quality"])
        XCTAssertTrue(
            table.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("robot-site01-02") == true,
            table.stdout)
    }

    func testDeviceShowsEveryKeyOfTheSpecAndAnUnknownIdFails() throws {
        try writeConfig()
        try startDaemon()
        try fleet(["0:latency=300:robot-site01-01"])
        XCTAssertTrue(waitUntil(10) { (currentQuality("robot-site01-01")?.received ?? 0) >= 5 })
        let d = try deviceDetail("robot-site01-01")  // strict: every SPEC key, of its type
        XCTAssertEqual(d.health, "ok")
        XCTAssertEqual(d.firmware, "sim-1.0")
        XCTAssertEqual(d.state, "online")
        XCTAssertEqual(d.metrics["battery_pct"], .number(87))
        // A robot whose battery does not move: its battery-forecast is listed, without an eta (issue 15).
        XCTAssertEqual(d.forecasts.map(\.name), ["battery-forecast"])
        XCTAssertEqual(d.forecasts.first?.value, 87)
        XCTAssertNil(d.forecasts.first?.eta)
        XCTAssertEqual(d.errors, [])
        XCTAssertTrue(d.live)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(d.uptimeS), 3600, "fleetsim devices have been up an hour")
        let p50 = try XCTUnwrap(d.quality.latencyMs).p50
        XCTAssertEqual(p50, 300, accuracy: 60, "300 ms of simulated latency plus the loopback's")
        let unknown = try cli(["device", "robot-99"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "fleetwatch: no device robot-99 (see fleetwatch devices)\n")
    }

    func testDeviceAndQualityWorkWithTheDaemonStoppedFromWhatItLeft() throws {
        try writeConfig()
        try startDaemon()
        try fleet(["0:errors=E_BUMPER:robot-site01-01"])
        XCTAssertTrue(waitUntil(10) { (currentQuality("robot-site01-01")?.received ?? 0) >= 4 })
        children.first { $0.name == "fleetsim" }?.stop()
        daemon?.stop()
        let result = try cli(["device", "robot-site01-01", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("fleetwatchd is not running"), result.stderr)
        let d = try decodeCLIOutput(CLIDeviceDetail.self, from: result.stdout, command: ["device"])
        XCTAssertFalse(d.live)
        XCTAssertEqual(d.errors, ["E_BUMPER"])
        XCTAssertGreaterThanOrEqual(d.quality.received, 4)
        XCTAssertEqual(d.metrics["battery_pct"], .number(87))
        XCTAssertEqual(try qualityRows().map(\.id), ["robot-site01-01"])
        XCTAssertEqual(try cli(["device", "nope"]).status, 1)
    }

    // MARK: the broker

    func testStatusShowsTheBrokersValuesFromSysAndTheDaemonsLags() throws {
        try writeConfig()
        try startDaemon()
        XCTAssertTrue(
            waitUntil(10) {
                let stats = (try? brokerView())?.brokerStats
                return (stats?.clientsConnected ?? 0) >= 1 && stats?.uptimeS != nil && stats?.messagesDropped != nil
            })
        let view = try brokerView()
        XCTAssertTrue(view.brokerStats.version?.hasPrefix("mosquitto") == true)
        XCTAssertNotNil(view.lag.ingestS)
        XCTAssertNotNil(view.lag.flushS)
        let table = try cli(["status"])
        XCTAssertTrue(table.stdout.contains("broker   connected (clients "), table.stdout)
        XCTAssertTrue(table.stdout.contains("lag      ingest "), table.stdout)
        daemon?.stop()
        let stopped = try brokerView()
        XCTAssertEqual(stopped.brokerStatsKeys, 0, "stopped: nothing live to show")
        XCTAssertNil(stopped.lag.ingestS)
    }

    func testBrokerDroppingOpensWhileTheBrokersDroppedCounterRisesAndResolvesWhenItStops() throws {
        broker.maxQueuedMessages = 5
        try broker.restart()
        try writeConfig(resolveAfter: 1)
        try startDaemon()
        // A persistent QoS 1 session that goes away: the broker queues for it, up to 5, then drops.
        let stalled = try runCommand(
            "/usr/bin/timeout",
            [
                "1", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p",
                String(broker.port), "-c", "-i", "stalled", "-q", "1",
                "-t", "elsewhere/#",
            ])
        XCTAssertEqual(stalled.status, 124, stalled.stderr)
        // The counter's first value after we connect is the baseline, not a rise.
        XCTAssertTrue(waitUntil(5) { (try? brokerView())?.brokerStats.messagesDropped != nil })
        XCTAssertEqual(try opened("broker-dropping"), [])
        for n in 0..<20 { try broker.publish("elsewhere/x", "\(n)") }
        XCTAssertTrue(
            try waitUntil(10) { try opened("broker-dropping").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(try opened("broker-dropping").first)
        XCTAssertEqual(line.summary, "OPEN P2 rule=broker-dropping")
        XCTAssertTrue(line.fields["msg"]?.hasPrefix("broker dropped ") == true, "\(line)")
        XCTAssertTrue(waitUntil(3) { ((try? brokerView())?.brokerStats.messagesDropped ?? 0) > 0 })
        // No more drops: cleared after three publication intervals (3 s), resolved 1 s later.
        XCTAssertTrue(
            try waitUntil(10) { try alerts(event: "RESOLVE").contains { $0.fields["rule"] == "broker-dropping" } },
            alertLines().joined(separator: "\n"))
    }
}
