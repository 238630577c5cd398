import FleetCore
import Foundation
import XCTest

/// Every fleetsim scenario against the real daemon: exactly the alert lines its catalogue entry
/// (`fleetsim scenarios`) promises, nothing else. The rules' own semantics are tested where they
/// belong (`OfflineDetectionTests`, `BadInputTests`, …); here the scenarios are the subject.
final class ScenarioTests: EndToEndTestCase {
    /// The daemon settings `fleetsim scenarios` prints: short windows, every rule at for_s = 1;
    /// `kinds` bodies and `extra` TOML for a scenario that needs more (closing-time's hours).
    func writeScenarioConfig(kinds: [String: String] = [:], extra: String = "") throws {
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
            detection: "flap_window_s = 10\nflap_changes = 6", kinds: kinds,
            extra: extra + "\n" + rule("delivery-robot", "battery-low", "battery_pct", "below = 15")
                + rule("pickup-locker", "doors-faulted", "doors_faulted", "above = 0")
                + rule("digital-human", "camera-down", "camera_ok", "equals = false")
                + rule("digital-human", "display-down", "display_ok", "equals = false")
                + rule("face-gate", "camera-down", "camera_ok", "equals = false")
                + rule("face-gate", "recognition-slow", "recognition_ms", "above = 1500"))
    }

    /// Runs a scenario to its end and returns the alert lines it caused (`scenarioLines`).
    func play(_ name: String) throws -> [AlertLine] {
        try writeScenarioConfig()
        try startDaemon()
        let sim = try startScenario(name)
        XCTAssertEqual(sim.wait(timeout: 40), 0, sim.log)
        let lines = try scenarioLines(sim)
        daemon?.stop()
        return lines
    }

    func startScenario(_ name: String, _ options: [String] = []) throws -> ChildProcess {
        try startSim(options, command: ["scenario", name])
    }

    /// The alert lines written before the finished scenario's timeline ended (the moment fleetsim
    /// prints), with half a second for the daemon to write a decision the timeline's end caused.
    /// Later lines come from the simulator's own shutdown: its devices go quiet, and the first
    /// `offline` from that silence is at least 1 s after the end (heartbeats every 0.5 s, offline
    /// after 1.5 s). The process's exit is no such bound: its clean disconnects took over 1.2 s
    /// once in CI, and the silence had opened a `fleet-outage` by then.
    func scenarioLines(_ sim: ChildProcess) throws -> [AlertLine] {
        let marker = "fleetsim: timeline ended at "
        let said = try XCTUnwrap(sim.log.split(separator: "\n").last { $0.hasPrefix(marker) }, sim.log)
        let end = try XCTUnwrap(Double(said.dropFirst(marker.count)), String(said))
        return try alerts().filter { line in
            guard let written = RFC3339.parse(line.timestamp) else { return true }  // kept: the comparison shows it
            return written < end + 0.5
        }
    }

    /// `EVENT PRIORITY rule=… [site=…] [kind=…] [device=…]` of each line, for exact comparison.
    func summarize(_ lines: [AlertLine]) -> [String] { lines.map(\.summary) }

    func testOfflineScenario() throws {
        XCTAssertEqual(
            summarize(try play("offline")),
            ["OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01"])
    }

    func testLastWillScenario() throws {
        let lines = try play("lwt")
        XCTAssertEqual(
            summarize(lines), ["OPEN P2 rule=offline site=site01 kind=pickup-locker device=locker-site01-01"])
        XCTAssertEqual(lines.first?.fields["msg"], "device reported offline (status message or last will)")
    }

    /// The forecast warns first, with the eta of the crossing; battery-low confirms; the forecast
    /// resolves once the empty battery no longer moves (issue 15).
    func testBatteryDrainScenario() throws {
        let lines = try play("battery-drain")
        XCTAssertEqual(
            summarize(lines),
            [
                "OPEN P2 rule=battery-forecast site=site02 kind=delivery-robot device=robot-site02-01",
                "OPEN P2 rule=battery-low site=site02 kind=delivery-robot device=robot-site02-01",
                "RESOLVE P2 rule=battery-forecast site=site02 kind=delivery-robot device=robot-site02-01",
            ])
        guard lines.count == 3 else { return }
        let forecast = lines[0]
        let low = lines[1]
        let eta = try XCTUnwrap(forecast.fields["eta"].flatMap(RFC3339.parse), "\(forecast)")
        let lowAt = try XCTUnwrap(RFC3339.parse(low.timestamp))
        // 87 % at 6 %/s from t=1 s: 15 % 12 s later; battery-low needs for_s (1 s) and group_wait_s (1 s) more.
        let etaText = forecast.fields["eta"] ?? "-"
        XCTAssertEqual(eta, lowAt - 2, accuracy: 1.5, "eta \(etaText) vs battery-low at \(low.timestamp)")
        XCTAssertTrue(forecast.fields["msg"]?.contains("reaches 15 at \(etaText)") == true, "\(forecast)")
        XCTAssertTrue(low.fields["msg"]?.contains("below 15") == true, "\(low)")
    }

    /// Put on charge, the robot's forecast resolves (issue 15).
    func testChargingScenario() throws {
        XCTAssertEqual(
            summarize(try play("charging")),
            [
                "OPEN P2 rule=battery-forecast site=site02 kind=delivery-robot device=robot-site02-01",
                "RESOLVE P2 rule=battery-forecast site=site02 kind=delivery-robot device=robot-site02-01",
            ])
    }

    func testFaultScenario() throws {
        XCTAssertEqual(
            summarize(try play("fault")), ["OPEN P2 rule=fault site=site03 kind=face-gate device=gate-site03-01"])
        XCTAssertEqual(try deviceState("gate-site03-01"), "degraded")
    }

    func testDegradedScenario() throws {
        XCTAssertEqual(
            summarize(try play("degraded")),
            ["OPEN P2 rule=degraded site=site02 kind=pickup-locker device=locker-site02-01"])
        XCTAssertEqual(try deviceState("locker-site02-01"), "degraded")
    }

    func testSiteOutageScenarioIsOneP1LineWithEveryDeviceAsChild() throws {
        XCTAssertEqual(summarize(try play("site-outage")), ["OPEN P1 rule=site-outage site=site01"])
        let all = try openIncidents()
        let parent = try XCTUnwrap(all.first { $0.rule == "site-outage" })
        let children = all.filter { $0.parent == parent.id }
        XCTAssertEqual(children.filter { $0.rule == "offline" }.count, 8)
        XCTAssertEqual(
            Set(children.filter { $0.rule == "core-down" }.compactMap(\.kind)),
            ["delivery-robot", "pickup-locker", "face-gate"])
        XCTAssertEqual(all.count, 1 + children.count, "every other incident is the outage's child")
        let detail = try incidentDetail(parent.id)
        XCTAssertEqual(Set(detail.children.map(\.id)), Set(children.map(\.id)))
        // A child's timeline says when it was grouped and under what.
        let child = try XCTUnwrap(children.first { $0.rule == "offline" })
        let grouped = try incidentDetail(child.id).timeline.first { $0.event == "GROUPED" }
        XCTAssertEqual(grouped?.parent, parent.id)
    }

    func testCoreDownScenario() throws {
        XCTAssertEqual(summarize(try play("core-down")), ["OPEN P1 rule=core-down site=site02 kind=delivery-robot"])
        let open = try openIncidents()
        let core = try XCTUnwrap(open.first { $0.rule == "core-down" })
        XCTAssertEqual(
            Set(open.filter { $0.rule == "offline" }.map { "\($0.device ?? "-") \($0.parent ?? "-")" }),
            ["robot-site02-01 \(core.id)", "robot-site02-02 \(core.id)"])
    }

    func testFleetOutageScenario() throws {
        XCTAssertEqual(summarize(try play("fleet-outage")), ["OPEN P1 rule=fleet-outage"])
        let open = try openIncidents()
        let fleet = try XCTUnwrap(open.first { $0.rule == "fleet-outage" })
        let sites = open.filter { $0.rule == "site-outage" }
        XCTAssertEqual(Set(sites.compactMap(\.site)), ["site01", "site02"])
        XCTAssertTrue(sites.allSatisfy { $0.parent == fleet.id }, "\(sites)")
    }

    func testRepeatedFailureScenario() throws {
        XCTAssertEqual(
            summarize(try play("repeated-failure")),
            [
                "OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
                "RESOLVE P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
                "OPEN P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
                "RESOLVE P2 rule=offline site=site01 kind=delivery-robot device=robot-site01-01",
                "OPEN P1 rule=repeated-failure site=site01 kind=delivery-robot device=robot-site01-01",
            ])
    }

    func testFlappingScenario() throws {
        let lines = try play("flapping")
        // One incident: its OPEN, relapses (UPDATE, and ESCALATE at the third failure) until the
        // sixth change marks it FLAPPING, and then nothing: no RESOLVE, no second OPEN.
        XCTAssertEqual(lines.first?.event, "OPEN", "\(lines)")
        XCTAssertEqual(lines.last?.event, "FLAPPING", "\(lines)")
        XCTAssertEqual(lines.filter { $0.event == "OPEN" || $0.event == "FLAPPING" }.count, 2, "\(lines)")
        XCTAssertTrue(lines.allSatisfy { ["OPEN", "UPDATE", "ESCALATE", "FLAPPING"].contains($0.event) }, "\(lines)")
        XCTAssertTrue(lines.allSatisfy { $0.fields["device"] == "kiosk-site01-01" }, "\(lines)")
        XCTAssertEqual(Set(lines.map(\.incident)).count, 1, "\(lines)")
        let kiosk = try openIncidents().filter { $0.device == "kiosk-site01-01" }
        XCTAssertEqual(kiosk.count, 1)
        XCTAssertEqual(kiosk.first?.flapping, true)
    }

    func testClockSkewScenarioFlagsTheDeviceWithoutAnIncident() throws {
        XCTAssertEqual(try play("clock-skew"), [])
        let devices = try deviceTable()
        XCTAssertEqual(devices["gate-site01-01"]?.clockSkew, true)
        XCTAssertEqual(devices["gate-site01-02"]?.clockSkew, false)
        XCTAssertEqual(devices["gate-site01-01"]?.state, "online")
    }

    /// The catalogue says "8 rejections counted by reason": 8 in all, no incident. Which reason
    /// each bad message is counted under is `BadInputTests`' subject.
    func testMalformedScenarioCountsEveryRejection() throws {
        XCTAssertEqual(try play("malformed"), [])
        let rejected = try daemonStatus().messages.rejected
        XCTAssertEqual(rejected.values.reduce(0, +), 8, "\(rejected)")
        XCTAssertEqual(try openIncidents(), [])
    }

    // MARK: the link (SPEC §11)

    func testLossyLinkScenario() throws {
        let lines = try play("lossy-link")
        XCTAssertEqual(
            summarize(lines), ["OPEN P2 rule=data-loss site=site01 kind=delivery-robot device=robot-site01-01"])
        XCTAssertTrue(lines.first?.fields["msg"]?.contains("expected heartbeats lost (4") == true, "\(lines)")
        let quality = try deviceDetail("robot-site01-01").quality
        XCTAssertEqual(quality.lossRatio, 0.5, accuracy: 0.08)
    }

    func testRebootLoopScenario() throws {
        let lines = try play("reboot-loop")
        XCTAssertEqual(
            summarize(lines), ["OPEN P2 rule=reboot-loop site=site01 kind=digital-human device=kiosk-site01-01"])
        XCTAssertEqual(lines.first?.fields["msg"], "3 reboots within 3600s")
    }

    func testDoorJamScenario() throws {
        let lines = try play("door-jam")
        XCTAssertEqual(
            summarize(lines),
            [
                "OPEN P2 rule=fault site=site01 kind=pickup-locker device=locker-site01-01",
                "OPEN P1 rule=error site=site01 kind=pickup-locker device=locker-site01-01",
            ])
        XCTAssertEqual(lines.first?.fields["errors"], "E_DOOR_JAM")
        XCTAssertEqual(lines.last?.fields["code"], "E_DOOR_JAM")
    }
}
