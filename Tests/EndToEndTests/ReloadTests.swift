import Foundation
import XCTest

/// SIGHUP while devices are live: a valid file is applied without losing state, an invalid one is
/// refused and the old configuration keeps running. No incident is lost or duplicated.
final class ReloadTests: EndToEndTestCase {
    func testValidAndInvalidReloadsWhileDevicesAreLive() throws {
        let inventory = """
            [[devices]]
            id = "robot-inv"
            site = "tianshan"
            kind = "delivery-robot"
            """
        try writeConfig(grace: 1, kinds: ["face-gate": "interval_s = 0.5"], extra: inventory)
        let d = try startDaemon()
        try startSim(["--sites", "1", "--per-kind", "2", "--kinds", "face-gate", "--interval", "0.3",
                      "--at", "3:kill:gate-site01-01"])
        // robot-inv is never heard: one incident; the killed gate: another.
        XCTAssertTrue(try waitUntil(10) { try incidents().count == 2 })
        let before = try incidents().map { $0["id"] as! String }.sorted()

        // Valid: one more inventory device, a different interval for gates.
        try writeConfig(grace: 1, kinds: ["face-gate": "interval_s = 0.6"], extra: inventory + """

            [[devices]]
            id = "locker-new"
            site = "tianshan"
            kind = "pickup-locker"
            name = "added by reload"
            """)
        let valid = try String(contentsOfFile: configPath, encoding: .utf8)
        d.signal(SIGHUP)
        XCTAssertTrue(try waitUntil(5) { try devices()["locker-new"] != nil })
        XCTAssertTrue(d.log.contains("configuration reloaded"))
        XCTAssertEqual(try devices()["gate-site01-02"]?["state"] as? String, "online")

        // Invalid: refused, named, and the running configuration stays.
        try "[detection]\nresolve_after_s = -5\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil(5) { d.log.contains("configuration reload refused") })
        XCTAssertTrue(d.log.contains("detection.resolve_after_s"), d.log)
        XCTAssertTrue(d.isRunning)
        // The CLI reads the same file: put the valid one back (without a reload) to look.
        try valid.write(toFile: configPath, atomically: true, encoding: .utf8)
        XCTAssertNotNil(try devices()["locker-new"])

        // Same incidents, each announced once (locker-new is never heard and adds its own).
        Thread.sleep(forTimeInterval: 1.5)
        let after = try incidents().map { $0["id"] as! String }.sorted()
        XCTAssertEqual(Array(after.prefix(before.count)), before)
        XCTAssertEqual(Set(alertLines(event: "OPEN").map { $0.split(separator: " ")[3] }).count, alertLines(event: "OPEN").count)
        XCTAssertEqual(try devices()["gate-site01-02"]?["state"] as? String, "online")
    }
}
