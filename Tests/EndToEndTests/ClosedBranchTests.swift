import FleetCore
import Foundation
import XCTest

/// Opening hours through the broker (SPEC §10): a `sleep` kiosk at a closed site sleeps while a
/// `monitor` gate beside it goes offline; a SIGHUP that opens the site soon wakes a silent kiosk
/// at opening + `wake_grace_s`, not before; a branch closing with its kiosks off opens no
/// outage. Schedules are written in UTC (`sla.timezone`) relative to the test's own clock.
final class ClosedBranchTests: EndToEndTestCase {
    static let kioskSleeps = "off_hours = \"sleep\"\nwake_grace_s = 2"

    /// The local time of day (UTC) of a wall time, as the schedule and the daemon's messages write
    /// it: `10:22:35`, or `10:22` on a whole minute.
    func clock(_ wall: Double) -> String { TimeOfDayText.text(Int(wall.rounded(.down)) % 86_400) }

    func now() -> Double { Date().timeIntervalSince1970 }

    /// Schedules here are today's ranges: wait past midnight if the test would run into it.
    func waitForRoomBeforeMidnight(_ seconds: Double) {
        let left = 86_400 - now().truncatingRemainder(dividingBy: 86_400)
        if left < seconds + 5 { Thread.sleep(forTimeInterval: left + 1) }
    }

    func schedule(_ hours: [String]) -> String {
        """
        [sla]
        timezone = "UTC"

        [schedules.branch]
        hours = [\(hours.map { "\"\($0)\"" }.joined(separator: ", "))]

        [sites.site01]
        schedule = "branch"
        """
    }

    func metrics(port: Int) -> String {
        let fd = connectLoopback(port: port)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        let request = Array("GET /metrics HTTP/1.0\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var data = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
        while case let n = read(fd, &buffer, buffer.count), n > 0 { data.append(contentsOf: buffer[0..<n]) }
        return String(decoding: data, as: UTF8.self)
    }

    func testAtAClosedSiteASleepKioskSleepsAndOpensNothingWhileAMonitorGateGoesOffline() throws {
        waitForRoomBeforeMidnight(600)
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(grace: 1, kinds: ["digital-human": Self.kioskSleeps],
                        extra: schedule(["\(clock(now() + 600))-24:00"]))
        try startDaemon()
        try startSim(["--sites", "1", "--kinds", "digital-human,face-gate", "--interval", "0.3",
                      "--at", "2:kill:kiosk-site01-01,gate-site01-01"])
        XCTAssertTrue(try waitUntil(15) {
            try alertLines(event: "OPEN").count == 1 && deviceState("kiosk-site01-01") == "sleeping"
        }, alertLines().joined(separator: "\n"))
        Thread.sleep(forTimeInterval: 2)  // past the moment the kiosk's own line would have come
        let opened = alertLines(event: "OPEN")
        XCTAssertEqual(opened.count, 1, opened.joined(separator: "\n"))
        XCTAssertTrue(opened.first?.contains("device=gate-site01-01") == true, opened.joined(separator: "\n"))
        XCTAssertEqual(try incidents().compactMap { $0["device"] as? String }, ["gate-site01-01"])

        // Everywhere an operator looks.
        let sleeping = (try cliJSON(["devices", "--state", "sleeping"]) as? [[String: Any]]) ?? []
        XCTAssertEqual(sleeping.compactMap { $0["id"] as? String }, ["kiosk-site01-01"])
        XCTAssertEqual(sleeping.first?["schedule"] as? String, "branch")
        XCTAssertNotNil(sleeping.first?["next_open"] as? String)
        XCTAssertEqual((try status()["devices"] as? [String: Int])?["sleeping"], 1)
        XCTAssertTrue(waitUntil(3) { metrics(port: port).contains("fleetwatch_devices{state=\"sleeping\"} 1") },
                      metrics(port: port))
        let table = try cli(["devices", "--site", "site01"]).stdout
        XCTAssertTrue(table.contains("branch: closed, opens "), table)
    }

    func testAReloadedScheduleThatOpensSoonMakesAStillSilentKioskOfflineAtOpeningPlusGraceNotBefore() throws {
        waitForRoomBeforeMidnight(600)
        try writeConfig(grace: 1, kinds: ["digital-human": Self.kioskSleeps],
                        extra: schedule(["\(clock(now() + 600))-24:00"]))
        let daemon = try startDaemon()
        try startSim(["--sites", "1", "--kinds", "digital-human", "--interval", "0.3", "--at", "2:kill:kiosk-site01-01"])
        XCTAssertTrue(try waitUntil(15) { try deviceState("kiosk-site01-01") == "sleeping" })

        let opening = (now() + 4).rounded(.down)
        try writeConfig(grace: 1, kinds: ["digital-human": Self.kioskSleeps], extra: schedule(["\(clock(opening))-24:00"]))
        daemon.signal(SIGHUP)
        XCTAssertTrue(waitUntil(5) { daemon.log.contains("configuration reloaded") }, daemon.log)
        XCTAssertEqual(try deviceState("kiosk-site01-01"), "sleeping", "a reload keeps the device's state")

        XCTAssertTrue(waitUntil(15) { alertLines(event: "OPEN").count == 1 }, alertLines().joined(separator: "\n"))
        let line = try XCTUnwrap(alertLines(event: "OPEN").first)
        let written = try XCTUnwrap(RFC3339.parse(String(line.prefix { $0 != " " })))
        XCTAssertGreaterThanOrEqual(written, opening + 2, "not before opening + wake_grace_s: \(line)")
        XCTAssertLessThan(written, opening + 4, line)
        XCTAssertTrue(line.contains("OPEN P2 "), line)
        XCTAssertTrue(line.contains("msg=\"did not wake after opening at \(clock(opening)) (not heard within 2s)\""), line)
        XCTAssertEqual(try deviceState("kiosk-site01-01"), "offline")
    }

    func testABranchClosingWithAllItsSleepDevicesOffOpensNoSiteOutage() throws {
        waitForRoomBeforeMidnight(60)
        let closing = (now() + 4).rounded(.down)
        try writeConfig(grace: 1, groupWait: 1, outages: true, kinds: ["digital-human": Self.kioskSleeps],
                        extra: schedule(["00:00-\(clock(closing))"]))
        try startDaemon()
        // Started after the daemon, so 5 s into the run is past the closing: both kiosks power
        // off with their last will once the branch has closed; the gates stay on.
        try startSim(["--sites", "1", "--per-kind", "2", "--kinds", "digital-human,face-gate", "--interval", "0.3",
                      "--duration", "20", "--at", "5:kill:kiosk-site01-01,kiosk-site01-02"])
        XCTAssertTrue(try waitUntil(15) {
            let d = try devices()
            return d["kiosk-site01-01"]?["state"] as? String == "sleeping" && d["kiosk-site01-02"]?["state"] as? String == "sleeping"
        }, alertLines().joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(now(), closing)
        Thread.sleep(forTimeInterval: 3)  // past group_wait_s and the resolve delay: nothing may follow
        XCTAssertEqual(alertLines(), [], "no site-outage, no fleet-outage, no device line")
    }
}
