import Foundation
import XCTest

@testable import FleetCore

/// What history and forecasts add to the engine's per-heartbeat cost (issue 15: "the engine loop
/// must not slow"): 10,000 robots, every one draining (no forecast opening), 20 heartbeats each,
/// with and without.
/// Printed for docs/benchmarks.md (run with `swift test -c release -Xswiftc -enable-testing`
/// for figures that mean something); checked only loosely, since machines differ.
final class HistoryForecastCostTests: XCTestCase {
    private func nanosecondsPerHeartbeat(history: Bool, forecasts: Bool, draining: Bool = true) -> (Double, Int) {
        var config = Configuration()
        EngineRig.deviceLevelOnly(&config)
        config.storage.historyDays = history ? 400 : 0
        config.storage.historyIntervalSeconds = 60
        if !forecasts { config.kinds["delivery-robot"]?.forecasts = [] }
        let start = Moment(monotonic: 1000, wall: 1_795_658_400)
        var engine = DetectionEngine(configuration: config, at: start)
        _ = engine.brokerDidConnect(at: start)
        let devices = 10_000
        var slots: [DeviceSlot] = []
        var beat = Heartbeat()
        beat.metrics = [Metric(name: "battery_pct", value: .number(90)), Metric(name: "temp_c", value: .number(36.5))]
        for d in 0..<devices {
            let topic = DeviceTopic(
                site: "site\(d % 100)", kind: "delivery-robot", device: "robot-\(d)", channel: .heartbeat)
            guard case .success(let slot) = engine.resolveDevice(topic, at: start) else { continue }
            slots.append(slot)
            _ = engine.heartbeatReceived(beat, device: slot, at: start)
        }
        var samples = 0
        let rounds = 20
        let began = DispatchTime.now().uptimeNanoseconds
        for round in 1...rounds {
            let now = start.advanced(by: Double(round) * 10)
            // 0.01 %/s: a real drain, far enough from 15 % that no incident opens (that is not the cost measured).
            beat.metrics[0].value = .number(draining ? 90 - Double(round) * 0.1 : 90)
            for slot in slots { _ = engine.heartbeatReceived(beat, device: slot, at: now) }
            samples += engine.takeHistorySamples().count
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began)
        return (elapsed / Double(rounds * devices), samples)
    }

    func testHistoryAndForecastsAddLittleToAHeartbeat() {
        let (off, _) = nanosecondsPerHeartbeat(history: false, forecasts: false)
        let (on, samples) = nanosecondsPerHeartbeat(history: true, forecasts: true)
        let (historyOnly, _) = nanosecondsPerHeartbeat(history: true, forecasts: false)
        let (steady, _) = nanosecondsPerHeartbeat(history: true, forecasts: true, draining: false)
        print(
            "engine per heartbeat: \(Int(off)) ns without history and forecasts, "
                + "\(Int(historyOnly)) ns with history, \(Int(on)) ns with both (every robot draining; "
                + "\(samples) samples taken), \(Int(steady)) ns with both and steady batteries")
        XCTAssertGreaterThan(samples, 0)
        XCTAssertLessThan(on, off * 3, "history and forecasts must not multiply the cost of a heartbeat")
    }
}
