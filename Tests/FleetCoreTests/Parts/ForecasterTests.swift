import XCTest

@testable import FleetCore

/// The forecaster's decisions with made-up times: a robot draining from 90 %, 1 %/10 s.
final class ForecasterTests: XCTestCase {
    private let format = TimeFormat(zoneIdentifier: "Asia/Shanghai")

    private func forecaster(_ configure: (inout ForecastRule) -> Void = { _ in }) -> Forecaster {
        var rule = ForecastRule.batteryForecast
        configure(&rule)
        var kinds = KindSettings.builtIn
        kinds["delivery-robot"]?.forecasts = [rule]
        var f = Forecaster(kinds: kinds, refreshSeconds: 60, at: at(0))
        f.added(0, kind: "delivery-robot")
        f.added(1, kind: "face-gate")
        return f
    }

    private func beat(_ battery: Double) -> Heartbeat {
        var b = Heartbeat()
        b.metrics = [Metric(name: "temp_c", value: .number(36)), Metric(name: "battery_pct", value: .number(battery))]
        return b
    }

    /// Feeds `values` 10 s apart from `start`; returns every finding as `holds eta`/`revised eta`/`cleared`.
    private func feed(
        _ f: inout Forecaster, _ values: [Double], from start: Double = 0,
        statuses: inout [ForecastStatus]
    ) -> [String] {
        var out: [String] = []
        for (k, v) in values.enumerated() {
            let t = start + Double(k) * 10
            let d = f.observe(0, beat(v), robotRecord(), at: at(t), format: format)
            statuses += d.statuses
            for finding in d.findings {
                switch finding {
                case .holds(let p): out.append("t=\(Int(t)) holds eta=\(Int(((p.eta ?? 0) - at(0).wall).rounded()))")
                case .revised(let p):
                    out.append("t=\(Int(t)) revised eta=\(Int(((p.eta ?? 0) - at(0).wall).rounded()))")
                case .cleared(let k): out.append("t=\(Int(t)) cleared \(k.rule)")
                }
            }
        }
        return out
    }

    private func feed(_ f: inout Forecaster, _ values: [Double], from start: Double = 0) -> [String] {
        var ignored: [ForecastStatus] = []
        return feed(&f, values, from: start, statuses: &ignored)
    }

    func testADrainOpensOnceWithTheEtaOfTheCrossing() {
        var f = forecaster()
        // 90, 89, …: reaches 15 at 750 s, predicted within 1800 s from the first line on (6 samples).
        let findings = feed(&f, (0..<30).map { 90 - Double($0) })
        XCTAssertEqual(findings, ["t=60 holds eta=750"])
    }

    func testTheEtaIsToldAgainOnlyWhenItMovesSignificantly() {
        var f = forecaster { $0.windowSeconds = 300 }  // forgets quickly enough to follow the change
        var values = (0..<20).map { 90 - Double($0) }  // 1 %/10 s: eta 750
        values += (1...40).map { 71 - 0.5 * Double($0) }  // slows to 0.5 %/10 s
        let findings = feed(&f, values)
        XCTAssertEqual(findings.first, "t=60 holds eta=750")
        let revisions = findings.filter { $0.contains("revised") }
        XCTAssertGreaterThanOrEqual(revisions.count, 1, findings.joined(separator: "\n"))
        XCTAssertLessThan(revisions.count, values.count / 4, "not one per heartbeat: \(findings)")
        // The last one is near the new truth: 71 at 190 s, then 0.5 %/10 s → 15 at 1310 s.
        let last = revisions.last.flatMap { Int($0.split(separator: "=").last ?? "") } ?? 0
        XCTAssertEqual(Double(last), 1310, accuracy: 1310 * 0.1, findings.joined(separator: "\n"))
    }

    func testChargingClearsIt() {
        var f = forecaster()
        let drain = (0..<20).map { 90 - Double($0) }
        let charge = (1...10).map { 71 + 2 * Double($0) }
        let findings = feed(&f, drain + charge)
        XCTAssertEqual(findings.first, "t=60 holds eta=750")
        XCTAssertEqual(findings.filter { $0.contains("cleared battery-forecast") }.count, 1, "\(findings)")
        let cleared = findings.first { $0.contains("cleared") } ?? ""
        XCTAssertTrue(["t=210", "t=220", "t=230"].contains { cleared.hasPrefix($0) }, cleared)
    }

    func testASteadyRobotOpensNothingAndAllocatesNothing() {
        var f = forecaster()
        var statuses: [ForecastStatus] = []
        XCTAssertEqual(feed(&f, Array(repeating: 87, count: 100), statuses: &statuses), [])
        XCTAssertEqual(f.tracksAllocated, 0, "a battery that never moves needs no fit")
        XCTAssertEqual(statuses.map(\.value), [87], "listed once, without an eta")
        XCTAssertEqual(statuses.first?.eta, nil)
    }

    func testItNeverOpensOnceTheMetricIsPastTheLevel() {
        var f = forecaster()
        XCTAssertEqual(feed(&f, (0..<30).map { 14 - 0.2 * Double($0) }), [], "below 15 already: battery-low speaks")
    }

    /// The line lags the newest sample (it fits filtered points): a jump past the level must not
    /// open a forecast the line still predicts for a moment later.
    func testASampleAlreadyPastTheLevelDoesNotOpenIt() {
        var f = forecaster {
            $0.direction = .rising
            $0.reaches = 60
            $0.withinSeconds = 15
        }
        XCTAssertEqual(
            feed(&f, (50...58).map(Double.init) + [61, 62, 63]), [], "61 is past 60: the metric rule speaks")
    }

    func testAnOpenForecastHoldsWhileTheDrainGoesOnPastTheLevel() {
        var f = forecaster()
        let findings = feed(&f, (0..<85).map { 90 - Double($0) })  // down to 6
        XCTAssertEqual(findings.filter { $0.contains("cleared") }, [])
    }

    func testAForecastTooFarAheadDoesNotOpen() {
        var f = forecaster { $0.withinSeconds = 605 }  // eta 750 s away at the start
        let findings = feed(&f, (0..<30).map { 90 - Double($0) })
        XCTAssertEqual(findings, ["t=150 holds eta=750"], "opens once less than 605 s are left")
    }

    func testAKindWithoutForecastsCostsNothing() {
        var f = forecaster()
        let d = f.observe(1, beat(50), robotRecord("gate-01"), at: at(0), format: format)
        XCTAssertEqual(d.findings, [])
        XCTAssertEqual(d.statuses, [])
    }

    func testStatusesAreStoredWhenTheEtaChangesNotPerHeartbeat() {
        var f = forecaster()
        var statuses: [ForecastStatus] = []
        _ = feed(&f, (0..<30).map { 90 - Double($0) }, statuses: &statuses)
        XCTAssertEqual(statuses.first?.eta, nil)
        XCTAssertEqual(statuses.first?.value, 90)
        let withEta = statuses.filter { $0.eta != nil }
        XCTAssertEqual(withEta.first.map { $0.eta! - at(0).wall } ?? 0, 750, accuracy: 1)
        // First heard, the eta found, then a refresh of the value every refresh_s (60 s).
        XCTAssertEqual(statuses.map { Int($0.updatedAt - at(0).wall) }, [0, 60, 120, 180, 240])
    }

    func testARestoredOpenForecastWaitsForEnoughSamplesBeforeClearing() {
        var f = forecaster()
        f.restoreFiring(0, named: .batteryForecast, eta: at(750).wall, at: at(0))
        XCTAssertEqual(feed(&f, [88, 87, 86]), [], "too few samples to say it stopped holding")
        var g = forecaster()
        g.restoreFiring(0, named: .batteryForecast, eta: at(750).wall, at: at(0))
        let findings = feed(&g, (0..<12).map { 60 + Double($0) })
        XCTAssertEqual(findings.filter { $0.contains("cleared") }.count, 1, "a rising battery clears it: \(findings)")
    }

    func testAReloadKeepsTheFitsOfUnchangedForecasts() {
        var f = forecaster()
        _ = feed(&f, (0..<10).map { 90 - Double($0) })
        var kinds = KindSettings.builtIn
        kinds["delivery-robot"]?.rules = []
        f.configure(
            kinds: kinds, refreshSeconds: 60,
            kindOfSlot: [robotRecord().kind, robotRecord("gate-01").kind])
        XCTAssertEqual(f.tracksAllocated, 1)
        XCTAssertEqual(feed(&f, [80], from: 100), [], "still firing, nothing new")
    }
}
