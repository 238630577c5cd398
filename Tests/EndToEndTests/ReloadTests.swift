import Foundation
import XCTest

/// SIGHUP while devices are live: a valid file is applied without losing state, an invalid one is
/// refused and the old configuration keeps running. No incident is lost or duplicated.
final class ReloadTests: EndToEndTestCase {
    let inventory = """
        [[devices]]
        id = "robot-inv"
        site = "tianshan"
        kind = "delivery-robot"
        """

    /// The gates' kind interval goes from 4 s (12 s timeout) to 1 s (3 s) by reload. The
    /// simulated gates send no interval_s, so the kind's value is what counts; a gate heard once,
    /// 4 s before the reload, is online under the old timeout and offline right after it.
    func testValidAndInvalidReloadsWhileDevicesAreLive() throws {
        try writeConfig(grace: 1, kinds: ["face-gate": "interval_s = 4\nmissed = 3"], extra: inventory)
        let d = try startDaemon()
        try startSim([
            "--sites", "1", "--per-kind", "2", "--kinds", "face-gate", "--interval", "0.3", "--omit-interval",
            "--at", "3:kill:gate-site01-01",
        ])
        // robot-inv is never heard: one incident; the killed gate: another.
        XCTAssertTrue(try waitUntil(10) { try openIncidents().count == 2 })
        let before = try openIncidents()
        XCTAssertEqual(Set(before.compactMap(\.device)), ["robot-inv", "gate-site01-01"])

        try broker.publish("library/site02/face-gate/gate-quiet/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-quiet") == "online" })
        Thread.sleep(forTimeInterval: 4)  // silent longer than the new timeout, shorter than the old
        XCTAssertEqual(try deviceState("gate-quiet"), "online", "the 12 s timeout is in force before the reload")

        // Valid: one more inventory device, a shorter interval for gates.
        try writeConfig(
            grace: 1, kinds: ["face-gate": "interval_s = 1\nmissed = 3"],
            extra: inventory + """

                [[devices]]
                id = "locker-new"
                site = "central"
                kind = "pickup-locker"
                name = "added by reload"
                """)
        let valid = try String(contentsOfFile: configPath, encoding: .utf8)
        d.signal(SIGHUP)
        XCTAssertTrue(try waitUntil(5) { try device("locker-new") != nil })
        XCTAssertTrue(d.log.contains("configuration reloaded"))
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-quiet") == "offline" }, "the new 3 s timeout applies")
        let quiet = try XCTUnwrap(try alerts(event: "OPEN").first { $0.fields["device"] == "gate-quiet" })
        XCTAssertTrue(quiet.fields["msg"]?.hasSuffix("(expected every 1s)") == true, quiet.text)
        XCTAssertEqual(try deviceState("gate-site01-02"), "online", "heard every 0.3 s: within the new timeout")

        // Invalid: refused, named, and the running configuration stays.
        try "[detection]\nresolve_after_s = -5\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil(5) { d.log.contains("configuration reload refused") })
        XCTAssertTrue(d.log.contains("detection.resolve_after_s"), d.log)
        XCTAssertTrue(d.isRunning)
        // The CLI reads the same file: put the valid one back (without a reload) to look.
        try valid.write(toFile: configPath, atomically: true, encoding: .utf8)
        XCTAssertNotNil(try device("locker-new"))

        // Same incidents (same ids) plus the new ones, each announced once.
        var after: [CLIIncident] = []
        XCTAssertTrue(
            try waitUntil(10) {
                after = try openIncidents()
                return after.count == 4
            }, "\(after)")
        XCTAssertEqual(Set(after.compactMap(\.device)), ["robot-inv", "gate-site01-01", "gate-quiet", "locker-new"])
        XCTAssertTrue(Set(after.map(\.id)).isSuperset(of: before.map(\.id)), "an incident was lost or renumbered")
        let opened = try alerts(event: "OPEN").map(\.incident)
        XCTAssertEqual(opened.sorted(), after.map(\.id).sorted(), "each incident announced once")
        XCTAssertEqual(try deviceState("gate-site01-02"), "online")
    }
}
