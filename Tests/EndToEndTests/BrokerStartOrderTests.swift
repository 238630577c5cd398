import Foundation
import XCTest

/// A daemon started before its broker connects once the broker is up.
final class BrokerStartOrderTests: EndToEndTestCase {
    func testADaemonStartedBeforeTheBrokerConnectsWhenItComesUp() throws {
        broker.stop()
        try writeConfig(grace: 1)
        let d = try startDaemon(waitForBroker: false)
        // It keeps running through failed attempts (the second comes 1 s after the first).
        XCTAssertTrue(waitUntil(10) { d.log.components(separatedBy: "broker connection failed").count > 1 }, d.log)
        waitPast(1.5, "the second connection attempt, 1 s after the first")
        XCTAssertTrue(d.isRunning)
        XCTAssertFalse(d.log.contains("broker connected"))
        try broker.start()
        XCTAssertTrue(waitUntil(reconnectTimeout) { d.log.contains("broker connected") }, d.log)
        try broker.publish("library/tianshan/face-gate/gate-late/heartbeat", "{\"seq\":1}")
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-late") == "online" })
        // That heartbeat came through the read-ahead (CReadAhead), attached at the first CONNACK.
        XCTAssertTrue(d.log.contains("broker socket read ahead"), d.log)
    }
}
