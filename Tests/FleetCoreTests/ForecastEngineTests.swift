import XCTest

@testable import FleetCore

/// Forecasts through the whole engine: incidents, lines, statuses to store, and history samples.
final class ForecastEngineTests: XCTestCase {
    private func rig(_ configure: (inout Configuration) -> Void = { _ in }) -> EngineRig {
        let rig = EngineRig { config in
            config.detection.resolveAfterSeconds = 30
            configure(&config)
        }
        rig.connect(at: 0)
        return rig
    }

    /// A heartbeat every 10 s from `start` with the given battery levels, ticking every second.
    private func drive(_ rig: EngineRig, _ levels: [Double], from start: Double) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for (k, level) in levels.enumerated() {
            let t = start + Double(k) * 10
            effects += rig.beat(.robot(), at: t) { $0.metrics = [Metric(name: "battery_pct", value: .number(level))] }
            for s in 1...9 { effects += rig.tick(at: t + Double(s)) }
        }
        return effects
    }

    func testADrainOpensTheForecastBeforeBatteryLowWithTheEtaOnItsLine() throws {
        let rig = rig()
        let effects = drive(rig, (0..<90).map { 90 - Double($0) }, from: 10)  // 1 %/10 s: 15 at 760 s
        XCTAssertEqual(
            effects.eventSummaries.filter { $0.hasPrefix("OPEN") },
            ["OPEN battery-forecast robot-01 #1", "OPEN battery-low robot-01 #2"])
        let open = try XCTUnwrap(effects.announced.first)
        let eta = try XCTUnwrap(open.field("eta"))
        XCTAssertEqual(RFC3339.parse(eta) ?? 0, rig.wall(760), accuracy: 1)
        XCTAssertTrue(open.field("msg")?.contains("reaches 15 at \(eta)") == true, open.field("msg") ?? "")
        XCTAssertEqual(effects.savedIncidents.first?.eta ?? 0, rig.wall(760), accuracy: 1)
        XCTAssertEqual(effects.announced.filter { $0.kind == .update }.count, 0, "a steady drain needs no UPDATE")
        let statuses = effects.compactMap { if case .saveForecast(let s) = $0 { s } else { nil } }
        XCTAssertEqual(statuses.first?.name, "battery-forecast")
        XCTAssertEqual(statuses.last?.eta ?? 0, rig.wall(760), accuracy: 1)
    }

    func testChargingResolvesItAfterResolveAfter() {
        let rig = rig()
        var effects = drive(rig, (0..<20).map { 90 - Double($0) }, from: 10)
        effects += drive(rig, (1...10).map { 71 + 3 * Double($0) }, from: 210)
        XCTAssertEqual(
            effects.eventSummaries, ["OPEN battery-forecast robot-01 #1", "RESOLVE battery-forecast robot-01 #1"])
        XCTAssertEqual(rig.engine.openForecastCount, 0)
    }

    func testASteadyRobotOpensNothing() {
        let rig = rig()
        XCTAssertEqual(drive(rig, Array(repeating: 87, count: 100), from: 10).announced, [])
        XCTAssertEqual(rig.engine.forecastTracks, 0)
    }

    func testAnOpenForecastCountsAsOpen() {
        let rig = rig()
        _ = drive(rig, (0..<10).map { 90 - Double($0) }, from: 10)
        XCTAssertEqual(rig.engine.openForecastCount, 1)
    }

    func testAForecastSurvivesARestartWithoutANewLine() throws {
        let first = rig()
        let effects = drive(first, (0..<10).map { 90 - Double($0) }, from: 10)
        let incident = try XCTUnwrap(effects.savedIncidents.last)
        let restored = RestoredState(
            devices: [try XCTUnwrap(first.engine.device("robot-01"))],
            unresolvedIncidents: [incident], nextIncidentID: 2)
        // Restarted at 100 s: the drain goes on (80 % at 110 s, 15 % at 760 s as predicted).
        let second = EngineRig(restored: restored, wallAtZero: first.wall(100)) {
            $0.detection.resolveAfterSeconds = 30
        }
        second.connect(at: 0)
        let after = drive(second, (0..<20).map { 80 - Double($0) }, from: 10)
        XCTAssertEqual(after.announced, [], "still draining: the restored incident goes on quietly")
        let charged = drive(second, (1...10).map { 61 + 3 * Double($0) }, from: 210)
        XCTAssertEqual(charged.eventSummaries, ["RESOLVE battery-forecast robot-01 #1"])
    }

    func testAConfiguredForecastOnAnotherKindAndMetric() {
        let rig = rig { config in
            config.kinds["face-gate"]?.forecasts = [
                ForecastRule(
                    name: "slow-forecast", metric: "recognition_ms", reaches: 1500, direction: .rising,
                    withinSeconds: 600, windowSeconds: 600, minSamples: 5, priority: .p1)
            ]
        }
        var effects: [EngineEffect] = []
        for k in 0..<20 {
            let t = 10 + Double(k) * 10
            effects += rig.beat(.gate("gate-01"), at: t) {
                $0.metrics = [Metric(name: "recognition_ms", value: .number(1000 + 20 * Double(k)))]
            }
            effects += rig.tick(at: t + 1)
        }
        XCTAssertEqual(effects.priorityLines, ["OPEN P1 slow-forecast"])
    }

    // MARK: history

    func testOneSampleIsTakenPerIntervalWithEveryNumericMetric() {
        let rig = rig { $0.storage.historyIntervalSeconds = 60 }
        for k in 0..<31 {
            rig.beat(.robot(), at: 10 + Double(k) * 10) {
                $0.metrics = [
                    Metric(name: "battery_pct", value: .number(80)), Metric(name: "docked", value: .bool(true)),
                    Metric(name: "mode", value: .string("idle")),
                ]
            }
        }
        let samples = rig.engine.takeHistorySamples()
        XCTAssertEqual(
            samples.first?.values, [.init(metric: "battery_pct", value: 80), .init(metric: "docked", value: 1)])
        let gaps = zip(samples.dropFirst(), samples).map { $0.time - $1.time }
        XCTAssertTrue(gaps.allSatisfy { $0 <= 60 }, "at least one sample per interval: \(gaps)")
        XCTAssertEqual(samples.count, 7, "every 50 s with a heartbeat every 10 s: \(gaps)")
        XCTAssertEqual(rig.engine.takeHistorySamples(), [], "taken once")
    }

    func testHistoryOffTakesNoSamples() {
        let rig = rig { $0.storage.historyDays = 0 }
        for k in 0..<10 {
            rig.beat(.robot(), at: Double(k) * 10) { $0.metrics = [Metric(name: "battery_pct", value: .number(80))] }
        }
        XCTAssertEqual(rig.engine.takeHistorySamples(), [])
    }
}
