import XCTest

@testable import FleetCore

final class BrokerWatchTests: XCTestCase {
    private func receive(_ w: inout BrokerWatch, _ name: String, _ payload: String, at t: Double) -> Finding? {
        var name = name
        var payload = payload
        return name.withUTF8 { n in payload.withUTF8 { p in w.received(n, UnsafeRawBufferPointer(p), at: at(t)) } }
    }

    func testTheBrokerValuesAreKept() {
        var w = BrokerWatch()
        XCTAssertTrue(w.stats.isEmpty)
        XCTAssertEqual(w.stats.json, "{}")
        _ = receive(&w, "clients/connected", "12", at: 0)
        _ = receive(&w, "publish/messages/dropped", "0", at: 0)
        _ = receive(&w, "uptime", "3600 seconds", at: 0)
        _ = receive(&w, "version", "mosquitto version 2.0.11", at: 0)
        _ = receive(&w, "load/messages/received/1min", "12.5", at: 0)
        _ = receive(&w, "clients/total", "not a number", at: 0)
        XCTAssertEqual(
            w.stats.json,
            #"{"clients_connected":12,"messages_dropped":0,"uptime_s":3600,"version":"mosquitto version 2.0.11"}"#)
    }

    func testARisingDroppedCounterHoldsAndSilenceClearsIt() {
        var w = BrokerWatch()
        for t in 0..<3 { _ = receive(&w, "uptime", "\(t) seconds", at: Double(t)) }  // published every second
        XCTAssertEqual(w.publishInterval, 1, accuracy: 0.01)
        XCTAssertNil(receive(&w, "publish/messages/dropped", "40", at: 2), "the first value is the baseline")
        guard case .holds(let p) = receive(&w, "publish/messages/dropped", "65", at: 3) else { return XCTFail() }
        XCTAssertEqual(p.rule, .brokerDropping)
        XCTAssertEqual(p.priority, .p2)
        XCTAssertEqual(p.scope, .collector)
        XCTAssertTrue(p.summary.hasPrefix("broker dropped 25 more messages (65 since it started)"), p.summary)
        XCTAssertNil(w.tick(at: at(6)), "three intervals have not passed")
        XCTAssertEqual(w.tick(at: at(6.1)), .cleared(BrokerWatch.key))
        XCTAssertNil(w.tick(at: at(7)), "cleared once")
    }

    func testACounterThatGoesDownIsABrokerRestartNotARise() {
        var w = BrokerWatch()
        _ = receive(&w, "publish/messages/dropped", "500", at: 0)
        XCTAssertNil(receive(&w, "publish/messages/dropped", "0", at: 10))
        XCTAssertNil(receive(&w, "publish/messages/dropped", "0", at: 20))
        XCTAssertNotNil(receive(&w, "publish/messages/dropped", "3", at: 30))
    }

    func testWithoutAMeasuredIntervalTheQuietPeriodIsThirtySeconds() {
        var w = BrokerWatch()
        _ = receive(&w, "publish/messages/dropped", "1", at: 0)
        _ = receive(&w, "publish/messages/dropped", "2", at: 1)
        XCTAssertNil(w.tick(at: at(30)))
        XCTAssertNotNil(w.tick(at: at(31.1)))
    }
}
