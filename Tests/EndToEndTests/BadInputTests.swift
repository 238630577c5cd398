import Foundation
import XCTest

/// Invalid messages are counted per reason (in `status` and in `/metrics`), change nothing, and
/// never crash the daemon; devices beyond `detection.max_devices` are refused the same way.
final class BadInputTests: EndToEndTestCase {
    func testBadMessagesAreRejectedAndCountedPerReasonWhileGoodDevicesStayOnline() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(
            grace: 1, kinds: ["delivery-robot": "interval_s = 1\nmissed = 4"],
            extra: """
                [[devices]]
                id = "robot-known"
                site = "tianshan"
                kind = "delivery-robot"
                """)
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3", "--omit-interval"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("robot-site01-01") == "online" })
        let p = "library/site01/delivery-robot/robot-site01-01/heartbeat"
        try broker.publish(p, "{\"seq\": 1, \"health\": ")  // bad_json
        try broker.publish(p, "[1,2,3]")  // bad_json (not an object)
        try broker.publish(p, "{\"seq\": -4}")  // bad_field
        try broker.publish(p, "{\"health\": \"sleepy\"}")  // bad_field
        try broker.publish(p, "{\"metrics\": {\"battery_pct\": [1]}}")  // bad_field
        try broker.publish(p, "{\"pad\": \"" + String(repeating: "x", count: 9000) + "\"}")  // too_large
        try broker.publish("library/site01/delivery-robot/heartbeat", "{}")  // bad_topic
        try broker.publish("library/site01/toaster/toaster-1/heartbeat", "{}")  // unknown_kind
        try broker.publish("library/elsewhere/delivery-robot/robot-known/heartbeat", "{}")  // inventory_mismatch
        try broker.publish("library/site01/delivery-robot/robot-site01-01/status", "sleeping")  // bad_status
        try broker.publish("library/site01/delivery-robot/bad id/heartbeat", "{}")  // bad_topic
        let expected = [
            "bad_json": 2, "bad_field": 3, "too_large": 1, "bad_topic": 2, "unknown_kind": 1,
            "inventory_mismatch": 1, "bad_status": 1,
        ]
        var rejected: [String: Int] = [:]
        XCTAssertTrue(
            try waitUntil(10) {
                rejected = try daemonStatus().messages.rejected
                return rejected == expected
            }, "rejected: \(rejected)")
        // /metrics counts the same, reason by reason (SPEC §9), and nothing under another reason.
        var samples: [String: Double] = [:]
        XCTAssertTrue(
            try waitUntil(5) {
                samples = try HTTPProbe.metrics(port: port)
                return expected.allSatisfy {
                    samples["fleetwatch_messages_total{result=\"rejected\",reason=\"\($0.key)\"}"] == Double($0.value)
                }
            }, "\(samples)")
        let reasons = samples.keys.filter {
            $0.hasPrefix("fleetwatch_messages_total{result=\"rejected\"") && samples[$0] != 0
        }
        XCTAssertEqual(reasons.count, expected.count, "\(reasons.sorted())")

        XCTAssertEqual(daemon?.isRunning, true)
        XCTAssertEqual(try deviceState("robot-site01-01"), "online")
        XCTAssertNil(try device("toaster-1"), "a rejected message must not register a device")
        XCTAssertEqual(try device("robot-known")?.site, "tianshan")
        XCTAssertGreaterThan(try daemonStatus().messages.accepted, 0)
        XCTAssertTrue(daemon?.log.contains("message rejected") == true)
        // Nothing but the never-heard inventory device became an incident.
        XCTAssertEqual(try openIncidents().map { $0.device ?? "-" }, ["robot-known"])
    }

    /// `detection.max_devices = 3`: the fourth and fifth unknown devices are refused as
    /// `device_limit` (counted, not registered); devices already known are still heard.
    func testDevicesBeyondMaxDevicesAreRefusedAsDeviceLimit() throws {
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(detection: "max_devices = 3")
        try startDaemon()
        for n in 1...3 { try broker.publish("library/site01/face-gate/gate-\(n)/heartbeat", #"{"seq":1}"#) }
        XCTAssertTrue(try waitUntil(10) { try deviceList().count == 3 })
        for n in 4...5 { try broker.publish("library/site01/face-gate/gate-\(n)/heartbeat", #"{"seq":1}"#) }
        var rejected: [String: Int] = [:]
        XCTAssertTrue(
            try waitUntil(10) {
                rejected = try daemonStatus().messages.rejected
                return rejected == ["device_limit": 2]
            }, "\(rejected)")
        XCTAssertEqual(try deviceList().map(\.id).sorted(), ["gate-1", "gate-2", "gate-3"])
        let accepted = try daemonStatus().messages.accepted
        try broker.publish("library/site01/face-gate/gate-2/heartbeat", #"{"seq":2}"#)
        XCTAssertTrue(
            try waitUntil(10) { try daemonStatus().messages.accepted == accepted + 1 }, "a known device is still heard")
        XCTAssertEqual(
            try HTTPProbe.metrics(port: port)["fleetwatch_messages_total{result=\"rejected\",reason=\"device_limit\"}"],
            2)
        XCTAssertEqual(try openIncidents(), [])
    }
}
