import Foundation
import XCTest

/// Invalid messages are counted per reason, change nothing, and never crash the daemon.
final class BadInputTests: EndToEndTestCase {
    func testBadMessagesAreRejectedAndCountedWhileGoodDevicesStayOnline() throws {
        try writeConfig(grace: 1, kinds: ["delivery-robot": "interval_s = 0.5\nmissed = 4"], extra: """
            [[devices]]
            id = "robot-known"
            site = "tianshan"
            kind = "delivery-robot"
            """)
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.3"])
        XCTAssertTrue(try waitUntil(10) { try deviceState("robot-site01-01") == "online" })
        let p = "library/site01/delivery-robot/robot-site01-01/heartbeat"
        try broker.publish(p, "{\"seq\": 1, \"health\": ")                         // bad_json
        try broker.publish(p, "[1,2,3]")                                            // bad_json (not an object)
        try broker.publish(p, "{\"seq\": -4}")                                      // bad_field
        try broker.publish(p, "{\"health\": \"sleepy\"}")                           // bad_field
        try broker.publish(p, "{\"metrics\": {\"battery_pct\": [1]}}")              // bad_field
        try broker.publish(p, "{\"pad\": \"" + String(repeating: "x", count: 9000) + "\"}")  // too_large
        try broker.publish("library/site01/delivery-robot/heartbeat", "{}")          // bad_topic
        try broker.publish("library/site01/toaster/toaster-1/heartbeat", "{}")       // unknown_kind
        try broker.publish("library/elsewhere/delivery-robot/robot-known/heartbeat", "{}")  // inventory_mismatch
        try broker.publish("library/site01/delivery-robot/robot-site01-01/status", "sleeping")  // bad_status
        try broker.publish("library/site01/delivery-robot/bad id/heartbeat", "{}")   // bad_topic
        let expected = ["bad_json": 2, "bad_field": 3, "too_large": 1, "bad_topic": 2, "unknown_kind": 1,
                        "inventory_mismatch": 1, "bad_status": 1]
        var rejected: [String: Int] = [:]
        XCTAssertTrue(try waitUntil(5) {
            let messages = try status()["messages"] as? [String: Any]
            rejected = (messages?["rejected"] as? [String: Int]) ?? [:]
            return rejected == expected
        }, "rejected: \(rejected)")
        XCTAssertTrue(daemon!.isRunning)
        XCTAssertEqual(try deviceState("robot-site01-01"), "online")
        XCTAssertNil(try devices()["toaster-1"], "a rejected message must not register a device")
        XCTAssertEqual(try devices()["robot-known"]?["site"] as? String, "tianshan")
        let accepted = ((try status()["messages"] as? [String: Any])?["accepted"] as? Int) ?? 0
        XCTAssertGreaterThan(accepted, 0)
        XCTAssertTrue(daemon!.log.contains("message rejected"))
        // Nothing but the never-heard inventory device became an incident.
        XCTAssertEqual(try incidents().compactMap { $0["device"] as? String }, ["robot-known"])
    }
}
