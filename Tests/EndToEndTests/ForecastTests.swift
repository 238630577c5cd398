import FleetCore
import Foundation
import XCTest

/// Battery forecasts through the broker (issue 15, SPEC §12): the forecast opens before
/// battery-low with the eta of the real crossing, everywhere an operator looks.
final class ForecastTests: EndToEndTestCase {
    static let robot = "robot-site01-01"

    /// One robot per site and kind at 0.5 s, battery-low at for_s 1, history every 0.5 s.
    func start(history: String = "history_interval_s = 0.5") throws {
        metricsListen = "127.0.0.1:\(freePort())"
        try writeConfig(
            resolveAfter: 2,
            extra: """
                [[kinds.delivery-robot.rules]]
                name = "battery-low"
                metric = "battery_pct"
                below = 15
                for_s = 1
                priority = "P2"
                """)
        var text = try String(contentsOfFile: configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "[storage]\n", with: "[storage]\n\(history)\n")
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        try startDaemon()
    }

    var metricsPort: Int { Int(metricsListen.split(separator: ":").last ?? "") ?? 0 }

    func forecasts(_ device: String = robot) throws -> [CLIForecast] {
        try cliDecode(CLIDeviceForecasts.self, ["device", device]).forecasts
    }

    /// A robot draining 2 %/s from 90 % (issue 15): `battery-forecast` opens first, with an eta
    /// within a few seconds of the moment the battery really crossed 15 % (read back from its
    /// history); `device --json`, the devices table and `fleetwatch_forecasts_open` show it.
    func testADrainingRobotOpensTheForecastBeforeBatteryLowWithTheEtaOfTheCrossing() throws {
        try start()
        startSimulation([
            "--at", "0.5:metric=battery_pct=90:\(Self.robot)", "--at", "1:ramp=battery_pct=-2:\(Self.robot)",
        ])
        XCTAssertTrue(
            try waitUntil(20) { try alerts(event: "OPEN").contains { $0.fields["rule"] == "battery-forecast" } })
        // While it drains: the forecast is listed with its eta, counted, and in the devices table.
        let listed = try XCTUnwrap(try forecasts().first { $0.name == "battery-forecast" })
        XCTAssertEqual(listed.metric, "battery_pct")
        XCTAssertEqual(listed.reaches, 15)
        XCTAssertNotNil(listed.eta)
        XCTAssertGreaterThan(listed.secondsLeft ?? 0, 0)
        XCTAssertTrue(try waitUntil(5) { (try HTTPProbe.metrics(port: metricsPort)["fleetwatch_forecasts_open"]) == 1 })
        let table = try cli(["devices"]).stdout
        XCTAssertTrue(table.contains("battery_pct→15 in"), table)

        XCTAssertTrue(
            try waitUntil(60) { try alerts(event: "OPEN").contains { $0.fields["rule"] == "battery-low" } },
            "battery-low never opened")
        let opens = try alerts(event: "OPEN")
        XCTAssertEqual(opens.map { $0.fields["rule"] ?? "" }, ["battery-forecast", "battery-low"])
        let forecastOpen = opens[0]
        let eta = try XCTUnwrap(forecastOpen.fields["eta"].flatMap(RFC3339.parse), "\(forecastOpen)")
        XCTAssertLessThan(try XCTUnwrap(RFC3339.parse(forecastOpen.timestamp)), eta - 20, "opened well ahead")
        let detail = try XCTUnwrap(try cliJSON(["incident", forecastOpen.incident]) as? [String: Any])
        XCTAssertEqual(detail["eta"] as? String, forecastOpen.fields["eta"], "the incident keeps its eta")

        // The true crossing, from what the daemon recorded: the first sample below 15 and the one
        // before (samples are written within a few seconds, not yet perhaps when battery-low opened).
        var samples: [CLIHistorySample] = []
        XCTAssertTrue(
            waitUntil(10) {
                samples =
                    (try? cliDecode([CLIHistorySample].self, ["history", Self.robot, "--metric", "battery_pct"])) ?? []
                return samples.contains { $0.value < 15 }
            })
        let below = try XCTUnwrap(samples.firstIndex { $0.value < 15 }, "\(samples)")
        XCTAssertGreaterThan(below, 0)
        let (a, b) = (samples[below - 1], samples[below])
        let ta = try XCTUnwrap(RFC3339.parse(a.ts))
        let tb = try XCTUnwrap(RFC3339.parse(b.ts))
        let crossing = ta + (tb - ta) * (a.value - 15) / (a.value - b.value)
        XCTAssertEqual(eta, crossing, accuracy: 3, "eta \(forecastOpen.fields["eta"] ?? "") vs crossing at \(crossing)")
    }

    /// A robot whose battery does not move opens nothing and lists its forecast without an eta.
    func testASteadyRobotOpensNothing() throws {
        try start()
        startSimulation([])
        XCTAssertTrue(waitUntil(10) { (try? forecasts())?.isEmpty == false }, "the forecast is listed once heard")
        // min_samples (5) heartbeats of 0.5 s and more: a forecast would have opened by now.
        waitPast(5, "5 samples at 0.5 s, twice over")
        XCTAssertEqual(try alerts(), [])
        let forecast = try XCTUnwrap(try forecasts().first)
        XCTAssertEqual(forecast.value, 87)
        XCTAssertNil(forecast.eta)
        XCTAssertNil(forecast.secondsLeft)
        XCTAssertEqual(try HTTPProbe.metrics(port: metricsPort)["fleetwatch_forecasts_open"], 0)
    }

    /// A stored forecast of a kind the device no longer has goes once the restarted daemon is
    /// ready (the prune waits for READY=1): the inventory moved the robot to the lockers, which
    /// have no forecasts.
    func testARestartDropsTheStoredForecastOfAKindThatNoLongerHasIt() throws {
        try start()
        let sim = startSimulation([])
        XCTAssertTrue(waitUntil(10) { (try? forecasts())?.isEmpty == false }, "the forecast is listed once heard")
        sim?.stop()
        daemon?.stop()
        var text = try String(contentsOfFile: configPath, encoding: .utf8)
        text += "\n[[devices]]\nid = \"\(Self.robot)\"\nsite = \"site01\"\nkind = \"pickup-locker\"\n"
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        try startDaemon()
        XCTAssertTrue(waitUntil(10) { (try? forecasts())?.isEmpty == true }, "\((try? forecasts()) ?? [])")
        XCTAssertEqual(try device(Self.robot)?.kind, "pickup-locker")
    }

    /// Put on charge, the open forecast resolves (and leaves the open count).
    func testChargingResolvesIt() throws {
        try start()
        // A long drain, then a slow charge: only a new run (not the whole drain's line) turns at once.
        let sim = startSimulation([
            "--at", "1:ramp=battery_pct=-2:\(Self.robot)",
            "--at", "21:ramp=battery_pct=1:\(Self.robot)",
        ])
        XCTAssertTrue(
            try waitUntil(30) { try alerts(event: "OPEN").contains { $0.fields["rule"] == "battery-forecast" } })
        XCTAssertTrue(waitUntil(40) { sim?.log.contains("t=21.0s ramp") == true }, "the charge never started")
        let charging = monotonicSeconds()
        XCTAssertTrue(
            try waitUntil(15) { try alerts(event: "RESOLVE").contains { $0.fields["rule"] == "battery-forecast" } },
            "no RESOLVE within 15 s of the charge: \(alertLines())")
        XCTAssertLessThan(monotonicSeconds() - charging, 8, "resolved within seconds of the charge (resolve_after_s 2)")
        XCTAssertEqual(
            try alertSummaries(),
            [
                "OPEN P2 rule=battery-forecast site=site01 kind=delivery-robot device=\(Self.robot)",
                "RESOLVE P2 rule=battery-forecast site=site01 kind=delivery-robot device=\(Self.robot)",
            ])
        XCTAssertTrue(try waitUntil(5) { (try HTTPProbe.metrics(port: metricsPort)["fleetwatch_forecasts_open"]) == 0 })
        XCTAssertNil(try forecasts().first?.eta, "charging: the trend reaches nothing")
    }

    @discardableResult
    func startSimulation(_ steps: [String]) -> ChildProcess? {
        do {
            return try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5"] + steps)
        } catch {
            XCTFail("fleetsim did not start: \(error)")
            return nil
        }
    }
}
