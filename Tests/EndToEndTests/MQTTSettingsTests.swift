import Foundation
import XCTest

/// `[mqtt]` settings other than the defaults, through the broker: `topic_prefix` for every topic
/// the daemon reads and writes, and `max_payload_bytes` as the size limit.
final class MQTTSettingsTests: EndToEndTestCase {
    /// A two-level prefix: devices are heard under it (fleetsim --prefix), the daemon's state is
    /// published under it, and the default `library/…` is no longer read at all (not even
    /// counted as rejected).
    func testANonDefaultTopicPrefixIsUsedForDevicesAndTheDaemonsState() throws {
        mqttExtra = #"topic_prefix = "city/libraries""#
        try writeConfig(grace: 1)
        try startDaemon()
        XCTAssertTrue(try waitUntil(10) { try broker.firstMessage(on: "city/libraries/$fleetwatch/state") == "online" })
        try startSim([
            "--sites", "1", "--kinds", "face-gate", "--interval", "0.3", "--omit-interval",
            "--prefix", "city/libraries",
        ])
        XCTAssertTrue(try waitUntil(10) { try deviceState("gate-site01-01") == "online" })
        try broker.publish("library/site01/face-gate/gate-old/heartbeat", #"{"seq":1}"#)
        // Barrier: a message under the configured prefix, published after the one under the old.
        try waitForIntake(through: "city/libraries/site01/face-gate/gate-site01-01/heartbeat")
        XCTAssertNil(try device("gate-old"), "a device under the default prefix was heard")
        XCTAssertEqual(try daemonStatus().messages.rejected, [:])
        XCTAssertNil(
            try broker.firstMessage(on: "library/$fleetwatch/state", timeout: 1),
            "state published under the default prefix")
    }

    /// `max_payload_bytes = 200`: a 300-byte heartbeat is `too_large`, a 150-byte one is fine
    /// (far below the 8192 default, so only the configured limit explains the rejection).
    func testMaxPayloadBytesIsTheConfiguredLimit() throws {
        mqttExtra = "max_payload_bytes = 200"
        try writeConfig(grace: 1)
        try startDaemon()
        func heartbeat(bytes: Int) -> String {
            let head = #"{"seq":1,"pad":""#
            let tail = #""}"#
            return head + String(repeating: "x", count: bytes - head.utf8.count - tail.utf8.count) + tail
        }
        XCTAssertEqual(heartbeat(bytes: 300).utf8.count, 300)
        try broker.publish("library/site01/face-gate/gate-big/heartbeat", heartbeat(bytes: 300))
        try broker.publish("library/site01/face-gate/gate-small/heartbeat", heartbeat(bytes: 150))
        try broker.publish("library/site01/face-gate/gate-edge/heartbeat", heartbeat(bytes: 200))
        var rejected: [String: Int] = [:]
        XCTAssertTrue(
            try waitUntil(10) {
                rejected = try daemonStatus().messages.rejected
                return rejected == ["too_large": 1]
            }, "\(rejected)")
        XCTAssertTrue(try waitUntil(10) { try deviceList().map(\.id).sorted() == ["gate-edge", "gate-small"] })
    }
}
