import Foundation
import XCTest

/// The daemon acknowledges QoS 1 heartbeats through a real broker although it holds its PUBACKs
/// and sends them together after each read (`Sources/CReadAhead/read_ahead.c`): with the
/// broker allowed only 10 unacknowledged messages per client, a PUBACK held and never sent would
/// stop delivery after the tenth.
final class QoS1AcknowledgementTests: EndToEndTestCase {
    func testEveryQoS1HeartbeatIsAcknowledgedWithTheBrokersInflightWindowAtTen() throws {
        broker.maxInflightMessages = 10
        try broker.restart()
        try writeConfig(grace: 1)
        let daemon = try startDaemon()
        XCTAssertTrue(daemon.log.contains("broker socket read ahead"), "the write-behind is not in use: \(daemon.log)")
        let load = try startSim(
            ["--devices", "100", "--messages", "3000", "--qos", "1", "--connections", "1", "--interval", "60"],
            command: ["load"])
        XCTAssertEqual(load.wait(timeout: 60), 0, load.log)
        XCTAssertTrue(load.log.contains("3000 acknowledged"), "the broker did not take every PUBLISH: \(load.log)")
        let delivered = try waitUntil(20) { try daemonStatus().messages.accepted >= 3000 }
        let accepted = try daemonStatus().messages.accepted
        XCTAssertTrue(delivered, "the broker stopped delivering: accepted \(accepted) of 3000")
        XCTAssertEqual(accepted, 3000, "a heartbeat was delivered twice")
        XCTAssertEqual(try daemonStatus().messages.rejected, [:])
    }
}
