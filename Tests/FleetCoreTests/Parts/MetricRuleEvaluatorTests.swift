import XCTest

@testable import FleetCore

final class MetricRuleEvaluatorTests: XCTestCase {
    private let record = robotRecord(state: .online)

    private func evaluator(forSeconds: Double = 60) -> MetricRuleEvaluator {
        var kinds = KindSettings.builtIn
        kinds["delivery-robot"]?.rules = [
            MetricRule(
                name: "battery-low", metric: "battery_pct", condition: .below(15), forSeconds: forSeconds, priority: .p2
            )
        ]
        var e = MetricRuleEvaluator(kinds: kinds)
        e.added(0, kind: "delivery-robot")
        return e
    }

    private func beat(_ battery: Double?) -> Heartbeat {
        var b = Heartbeat()
        if let battery { b.metrics = [Metric(name: "battery_pct", value: .number(battery))] }
        return b
    }

    private func summary(_ findings: [Finding]) -> [String] {
        findings.map {
            switch $0 {
            case .holds(let p): "holds \(p.rule) \(p.summary)"
            case .revised(let p): "revised \(p.rule) \(p.summary)"
            case .cleared(let k): "cleared \(k.rule)"
            }
        }
    }

    func testAConditionFiresOnceAfterHoldingForItsDuration() {
        var e = evaluator()
        XCTAssertEqual(summary(e.evaluate(0, beat(10), record, at: 0)), [])
        XCTAssertEqual(summary(e.evaluate(0, beat(9), record, at: 59)), [])
        XCTAssertEqual(
            summary(e.evaluate(0, beat(8), record, at: 60)), ["holds battery-low battery_pct 8 below 15 for 60s"])
        XCTAssertEqual(summary(e.evaluate(0, beat(7), record, at: 70)), [])
        XCTAssertEqual(summary(e.evaluate(0, beat(50), record, at: 80)), ["cleared battery-low"])
    }

    func testAHeartbeatWhereItDoesNotHoldStartsThePendingOver() {
        var e = evaluator()
        _ = e.evaluate(0, beat(10), record, at: 0)
        _ = e.evaluate(0, beat(20), record, at: 30)
        _ = e.evaluate(0, beat(10), record, at: 40)
        XCTAssertEqual(summary(e.evaluate(0, beat(10), record, at: 99)), [])
        XCTAssertEqual(summary(e.evaluate(0, beat(10), record, at: 100)).count, 1)
    }

    func testAHeartbeatWithoutTheMetricSaysNothing() {
        var e = evaluator()
        _ = e.evaluate(0, beat(10), record, at: 0)
        XCTAssertEqual(summary(e.evaluate(0, beat(nil), record, at: 30)), [])
        XCTAssertEqual(summary(e.evaluate(0, beat(10), record, at: 60)).count, 1, "the pending state survived")
    }

    func testARuleWithoutDurationFiresOnTheFirstHeartbeat() {
        var e = evaluator(forSeconds: 0)
        XCTAssertEqual(summary(e.evaluate(0, beat(1), record, at: 0)).count, 1)
    }

    func testResetForgetsAPendingCondition() {
        var e = evaluator()
        _ = e.evaluate(0, beat(10), record, at: 0)
        e.reset(0, kind: "delivery-robot")
        XCTAssertEqual(summary(e.evaluate(0, beat(10), record, at: 60)), [])
    }
}
