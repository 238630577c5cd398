import FleetCore
import Foundation
import XCTest

/// `fleetwatch history` against the real daemon (issue 15, SPEC §12).
final class HistoryTests: EndToEndTestCase {
    static let robot = "robot-site01-01"

    func start(storage: String = "history_interval_s = 1") throws {
        try writeConfig()
        var text = try String(contentsOfFile: configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "[storage]\n", with: "[storage]\n\(storage)\n")
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        try startDaemon()
    }

    func history(_ arguments: [String]) throws -> [CLIHistorySample] {
        try cliDecode([CLIHistorySample].self, ["history", Self.robot] + arguments)
    }

    /// Samples are visible within 10 s, oldest first, every numeric metric (booleans as 0/1), and
    /// `--metric`, `--since` and the table's sparkline work.
    func testHistoryJSONIsOldestFirstAndVisibleWithinTenSeconds() throws {
        try start()
        try startSim([
            "--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5",
            "--at", "1:ramp=battery_pct=-1:\(Self.robot)", "--at", "2:metric=docked=true:\(Self.robot)",
        ])
        let sent = monotonicSeconds()
        XCTAssertTrue(
            waitUntil(10) { ((try? history(["--metric", "docked"])) ?? []).contains { $0.value == 1 } },
            "a sample of the heartbeat sent at 2 s is not visible within 10 s")
        XCTAssertLessThan(monotonicSeconds() - sent, 12)
        XCTAssertTrue(waitUntil(15) { ((try? history(["--metric", "battery_pct"])) ?? []).count >= 8 })
        let battery = try history(["--metric", "battery_pct"])
        let times = battery.compactMap { RFC3339.parse($0.ts) }
        XCTAssertEqual(times.count, battery.count)
        XCTAssertEqual(times, times.sorted(), "oldest first")
        XCTAssertTrue(
            zip(times.dropFirst(), times).allSatisfy { $0 - $1 <= 1.0 + 0.6 }, "one sample per second: \(times)")
        XCTAssertEqual(battery.first?.value, 87)
        XCTAssertLessThan(battery.last?.value ?? 100, 87, "draining")
        let all = try history([])
        XCTAssertEqual(Set(all.map(\.metric)), ["battery_pct", "temp_c", "docked"])
        XCTAssertTrue(try history(["--since", "2026-01-01T00:00:00Z", "--until", "2026-01-02T00:00:00Z"]).isEmpty)
        XCTAssertEqual(try history(["--since", "10m"]).count, all.count)

        let table = try cli(["history", Self.robot])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("battery_pct"), table.stdout)
        XCTAssertTrue(table.stdout.contains { "▁▂▃▄▅▆▇█".contains($0) }, "no sparkline: \(table.stdout)")

        let hourly = try cliDecode(
            [CLIHistoryHour].self, ["history", Self.robot, "--metric", "battery_pct", "--hourly"])
        XCTAssertEqual(hourly.count, 1, "\(hourly)")
        XCTAssertEqual(hourly.first?.max, 87)
        XCTAssertGreaterThanOrEqual(hourly.first?.count ?? 0, battery.count)
    }

    func testAnUnknownDeviceOrMetricIsAClearError() throws {
        try start()
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5"])
        XCTAssertTrue(waitUntil(10) { ((try? history([])) ?? []).isEmpty == false })
        let device = try cli(["history", "robot-nowhere"])
        XCTAssertEqual(device.status, 1)
        XCTAssertEqual(device.stderr, "fleetwatch: no device robot-nowhere (see fleetwatch devices)\n")
        let metric = try cli(["history", Self.robot, "--metric", "fuel_l"])
        XCTAssertEqual(metric.status, 1)
        XCTAssertEqual(
            metric.stderr,
            "fleetwatch: device \(Self.robot) has no history of fuel_l (it has: battery_pct, temp_c)\n")
        let usage = try cli(["history", Self.robot, "--since", "yesterday"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
    }

    /// SIGHUP applies the history keys (the database and alert log stay those opened at start).
    func testAReloadTurnsHistoryOn() throws {
        try start(storage: "history_days = 0")
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5"])
        XCTAssertTrue(waitUntil(10) { (try? device(Self.robot)) != nil })
        var text = try String(contentsOfFile: configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "history_days = 0", with: "history_interval_s = 1")
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        daemon?.signal(SIGHUP)
        XCTAssertTrue(waitUntil(10) { ((try? history([])) ?? []).isEmpty == false }, "no samples after the reload")
    }

    func testHistoryOffKeepsNothing() throws {
        try start(storage: "history_days = 0\nhistory_interval_s = 0.5")
        try startSim(["--sites", "1", "--kinds", "delivery-robot", "--interval", "0.5"])
        XCTAssertTrue(waitUntil(10) { (try? device(Self.robot)) != nil })
        waitPast(4, "a sample would be staged 2 s and written at once")
        let result = try cli(["history", Self.robot])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("history is off"), result.stdout)
        XCTAssertEqual(try history([]), [])
    }
}
