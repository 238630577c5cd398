import Foundation
import XCTest

/// Every fleetsim scenario against the real daemon: exactly the expected alert lines, nothing else.
final class ScenarioTests: EndToEndTestCase {
    /// The daemon settings `fleetsim scenarios` prints: short windows, every rule at for_s = 1.
    func writeScenarioConfig() throws {
        func rule(_ kind: String, _ name: String, _ metric: String, _ condition: String) -> String {
            """
            [[kinds.\(kind).rules]]
            name = "\(name)"
            metric = "\(metric)"
            \(condition)
            for_s = 1
            priority = "P2"

            """
        }
        try writeConfig(
            grace: 1, resolveAfter: 2, groupWait: 1, outages: true,
            escalation: "repeat_failures = 3\nrepeat_window_s = 60",
            detection: "flap_window_s = 10\nflap_changes = 6",
            extra: rule("delivery-robot", "battery-low", "battery_pct", "below = 15")
                + rule("pickup-locker", "doors-faulted", "doors_faulted", "above = 0")
                + rule("digital-human", "camera-down", "camera_ok", "equals = false")
                + rule("digital-human", "display-down", "display_ok", "equals = false")
                + rule("face-gate", "camera-down", "camera_ok", "equals = false")
                + rule("face-gate", "recognition-slow", "recognition_ms", "above = 1500"))
    }

    /// Runs a scenario to its end and returns the alert lines written by then (later lines would
    /// come from the simulator's own shutdown).
    func play(_ name: String) throws -> [String] {
        try writeScenarioConfig()
        try startDaemon()
        let sim = try ChildProcess(name: "fleetsim", executable: Binaries.path("fleetsim"),
                                   arguments: ["scenario", name, "--port", String(broker.port)],
                                   logPath: directory + "/fleetsim.log")
        children.append(sim)
        XCTAssertEqual(sim.wait(timeout: 40), 0, sim.log)
        let lines = alertLines()
        daemon?.stop()
        return lines
    }

    /// `EVENT PRIORITY rule=… [site=…] [kind=…] [device=…]` of each line, for exact comparison.
    func summarize(_ lines: [String]) -> [String] {
        lines.map { line in
            let parts = line.split(separator: " ").map(String.init)
            let keep = parts.dropFirst(4).filter { part in
                ["rule=", "site=", "kind=", "device="].contains { part.hasPrefix($0) }
            }
            return ([parts[1], parts[2]] + keep).joined(separator: " ")
        }
    }

    func testOfflineScenario() throws {
        XCTAssertEqual(summarize(try play("offline")),
                       ["OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01"])
    }

    func testLastWillScenario() throws {
        let lines = try play("lwt")
        XCTAssertEqual(summarize(lines), ["OPEN P2 rule=offline site=site01 kind=pickup-locker device=locker-site01-01"])
        XCTAssertTrue(lines[0].contains("last will"), lines[0])
    }

    func testBatteryDrainScenario() throws {
        let lines = try play("battery-drain")
        XCTAssertEqual(summarize(lines), ["OPEN P2 rule=battery-low site=site02 kind=delivery-robot device=robot-site02-01"])
        XCTAssertTrue(lines[0].contains("battery_pct 9 below 15"), lines[0])
    }

    func testFaultScenario() throws {
        XCTAssertEqual(summarize(try play("fault")), ["OPEN P2 rule=fault site=site03 kind=face-gate device=gate-site03-01"])
        XCTAssertEqual(try deviceState("gate-site03-01"), "degraded")
    }

    func testDegradedScenario() throws {
        XCTAssertEqual(summarize(try play("degraded")),
                       ["OPEN P2 rule=degraded site=site02 kind=pickup-locker device=locker-site02-01"])
        XCTAssertEqual(try deviceState("locker-site02-01"), "degraded")
    }

    func testSiteOutageScenarioIsOneP1LineWithEveryDeviceAsChild() throws {
        XCTAssertEqual(summarize(try play("site-outage")), ["OPEN P1 rule=site-outage site=site01"])
        let all = try incidents()
        let parent = try XCTUnwrap(all.first { $0["rule"] as? String == "site-outage" })
        let children = all.filter { $0["parent"] as? String == parent["id"] as? String }
        XCTAssertEqual(children.filter { $0["rule"] as? String == "offline" }.count, 8)
        XCTAssertEqual(Set(children.filter { $0["rule"] as? String == "core-down" }.compactMap { $0["kind"] as? String }),
                       ["delivery-robot", "pickup-locker", "face-gate"])
        let detail = try XCTUnwrap(try cliJSON(["incident", parent["id"] as! String]) as? [String: Any])
        XCTAssertEqual((detail["children"] as? [Any])?.count, children.count)
        // A child's timeline says when it was grouped and under what.
        let child = try XCTUnwrap(children.first { $0["rule"] as? String == "offline" })
        let childDetail = try XCTUnwrap(try cliJSON(["incident", child["id"] as! String]) as? [String: Any])
        let grouped = (childDetail["timeline"] as? [[String: Any]])?.first { $0["event"] as? String == "GROUPED" }
        XCTAssertEqual(grouped?["parent"] as? String, parent["id"] as? String)
    }

    func testCoreDownScenario() throws {
        XCTAssertEqual(summarize(try play("core-down")), ["OPEN P1 rule=core-down site=site02 kind=delivery-robot"])
        XCTAssertEqual(try incidents().filter { $0["rule"] as? String == "offline" && $0["parent"] is String }.count, 2)
    }

    func testFleetOutageScenario() throws {
        XCTAssertEqual(summarize(try play("fleet-outage")), ["OPEN P1 rule=fleet-outage"])
        XCTAssertEqual(try incidents().filter { $0["rule"] as? String == "site-outage" }.count, 2)
    }

    func testRepeatedFailureScenario() throws {
        XCTAssertEqual(summarize(try play("repeated-failure")), [
            "OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
            "RESOLVE P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
            "OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
            "RESOLVE P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
            "OPEN P1 rule=repeated-failure site=site01 kind=delivery-robot device=robot-site01-01",
        ])
    }

    func testFlappingScenario() throws {
        let lines = try play("flapping")
        XCTAssertTrue(lines.allSatisfy { $0.contains("device=kiosk-site01-01") }, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.filter { $0.contains(" OPEN ") }.count, 1, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.filter { $0.contains(" FLAPPING ") }.count, 1, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.filter { $0.contains(" RESOLVE ") }.count, 0, lines.joined(separator: "\n"))
        let kiosk = try incidents().filter { $0["device"] as? String == "kiosk-site01-01" }
        XCTAssertEqual(kiosk.count, 1)
        XCTAssertEqual(kiosk.first?["flapping"] as? Bool, true)
    }

    func testClockSkewScenarioFlagsTheDeviceWithoutAnIncident() throws {
        XCTAssertEqual(try play("clock-skew"), [])
        XCTAssertEqual(try devices()["gate-site01-01"]?["clock_skew"] as? Bool, true)
        XCTAssertEqual(try devices()["gate-site01-02"]?["clock_skew"] as? Bool, false)
        XCTAssertEqual(try devices()["gate-site01-01"]?["state"] as? String, "online")
    }

    func testMalformedScenarioCountsEveryRejection() throws {
        XCTAssertEqual(try play("malformed"), [])
        let messages = try XCTUnwrap(try status()["messages"] as? [String: Any])
        XCTAssertEqual(messages["rejected"] as? [String: Int], [
            "bad_json": 2, "bad_field": 2, "too_large": 1, "bad_topic": 1, "unknown_kind": 1, "bad_status": 1,
        ])
    }

    // MARK: the link (SPEC §11)

    func testLossyLinkScenario() throws {
        let lines = try play("lossy-link")
        XCTAssertEqual(summarize(lines), ["OPEN P2 rule=data-loss site=site01 kind=delivery-robot device=robot-site01-01"])
        XCTAssertTrue(lines[0].contains("expected heartbeats lost (4"), lines[0])
        let quality = try XCTUnwrap((try cliJSON(["device", "robot-site01-01"]) as? [String: Any])?["quality"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(quality["loss_ratio"] as? Double), 0.5, accuracy: 0.08)
    }

    func testRebootLoopScenario() throws {
        let lines = try play("reboot-loop")
        XCTAssertEqual(summarize(lines), ["OPEN P2 rule=reboot-loop site=site01 kind=digital-human device=kiosk-site01-01"])
        XCTAssertTrue(lines[0].contains(#"msg="3 reboots within 3600s""#), lines[0])
    }

    func testDoorJamScenario() throws {
        let lines = try play("door-jam")
        XCTAssertEqual(summarize(lines), [
            "OPEN P2 rule=fault site=site01 kind=pickup-locker device=locker-site01-01",
            "OPEN P1 rule=error site=site01 kind=pickup-locker device=locker-site01-01",
        ])
        XCTAssertTrue(lines[0].contains(" errors=E_DOOR_JAM "), lines[0])
        XCTAssertTrue(lines[1].contains(" device=locker-site01-01 code=E_DOOR_JAM "), lines[1])
    }
}
