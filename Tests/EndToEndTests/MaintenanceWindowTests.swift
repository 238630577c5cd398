import Foundation
import XCTest

/// `fleetwatch maintenance` beyond one device and "until": a whole site, a window that starts
/// later (`--from`), the spans of SPEC §8 (`90m`, `2h`, `1d`) and the `list` table.
final class MaintenanceWindowTests: EndToEndTestCase {
    /// RFC 3339 with offset → Unix seconds.
    func unixTime(_ text: String) throws -> Double {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return try XCTUnwrap(formatter.date(from: text), "not RFC 3339: \(text)").timeIntervalSince1970
    }

    /// A window for site01 from 2 s from now: nothing changes before it starts; then every device
    /// of site01 (and none of site02) is in maintenance, and a site01 device losing power opens
    /// nothing.
    func testASiteWindowFromLaterCoversEveryDeviceOfTheSiteOnceItStarts() throws {
        try writeConfig(grace: 1)
        try startDaemon()
        let sim = try startSim([
            "--sites", "2", "--kinds", "face-gate,pickup-locker", "--interval", "0.3", "--omit-interval",
            "--at", "7:kill:gate-site01-01",
        ])
        XCTAssertTrue(try waitUntil(10) { try deviceCount(inState: "online") == 4 })
        let add = try cli([
            "maintenance", "add", "--site", "site01", "--from", "2s", "--until", "1h", "--reason", "power work",
        ])
        XCTAssertEqual(add.status, 0, add.stderr)
        let added = monotonicSeconds()
        XCTAssertEqual(try deviceCount(inState: "maintenance"), 0, "the window has not started yet")
        XCTAssertTrue(try waitUntil(10) { try deviceCount(inState: "maintenance") == 2 })
        XCTAssertGreaterThanOrEqual(monotonicSeconds() - added, 1.5, "the window started before --from")
        let states = try deviceTable().mapValues(\.state)
        XCTAssertEqual(
            states,
            [
                "gate-site01-01": "maintenance", "locker-site01-01": "maintenance",
                "gate-site02-01": "online", "locker-site02-01": "online",
            ])
        let window = try XCTUnwrap(try maintenanceWindows().first)
        XCTAssertEqual(window.site, "site01")
        XCTAssertNil(window.device)
        XCTAssertEqual(try unixTime(window.until) - unixTime(window.from), 3600 - 2, accuracy: 3)
        XCTAssertTrue(waitUntil(15) { sim.log.contains("kill gate-site01-01") }, sim.log)
        waitPast(1, "the will's offline takes effect 0.5 s after it arrives")
        try waitForEngineTurns(1)
        XCTAssertEqual(try allIncidents(), [])
        XCTAssertEqual(alertLines(), [])
    }

    /// `--until 90m`, `2h`, `1d` are spans from now; `--from 1d --until 2d` a window tomorrow.
    /// `list` shows each as a row: id, target, from, until (local time), by, reason.
    func testSpansAreFromNowAndTheListTableShowsEveryWindow() throws {
        try writeConfig(
            grace: 60,
            extra: """
                [[devices]]
                id = "robot-1"
                site = "tianshan"
                kind = "delivery-robot"
                [[devices]]
                id = "robot-2"
                site = "central"
                kind = "delivery-robot"
                """)
        try startDaemon()
        var ids: [String] = []
        let now = Date().timeIntervalSince1970
        for (arguments, reason) in [
            (["--device", "robot-1", "--until", "90m"], "ninety minutes"),
            (["--device", "robot-2", "--until", "2h"], "two hours"),
            (["--site", "tianshan", "--until", "1d"], "one day"),
            (["--site", "central", "--from", "1d", "--until", "2d"], "tomorrow"),
        ] {
            let add = try cli(["maintenance", "add"] + arguments + ["--reason", reason, "--by", "li.wei"])
            XCTAssertEqual(add.status, 0, add.stderr)
            ids.append(add.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let windows = try maintenanceWindows()
        XCTAssertEqual(windows.map(\.id), ids)
        XCTAssertEqual(windows.map { $0.reason ?? "-" }, ["ninety minutes", "two hours", "one day", "tomorrow"])
        XCTAssertEqual(windows.map { $0.by ?? "-" }, ["li.wei", "li.wei", "li.wei", "li.wei"])
        let spans = try windows.map { (try unixTime($0.from) - now, try unixTime($0.until) - now) }
        for ((from, until), (expectedFrom, expectedUntil)) in zip(
            spans, [(0.0, 5400.0), (0, 7200), (0, 86400), (86400, 172800)])
        {
            XCTAssertEqual(from, expectedFrom, accuracy: 5)
            XCTAssertEqual(until, expectedUntil, accuracy: 5)
        }
        let table = try cli(["maintenance", "list"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(
            lines.first?.split(separator: " ").map(String.init),
            [
                "ID", "TARGET", "EVERY", "NEXT", "FROM", "UNTIL", "BY",
                "REASON",
            ])
        XCTAssertEqual(
            lines.count, 1 + windows.count + (lines.contains { $0.hasPrefix("--") || $0.hasPrefix("==") } ? 1 : 0),
            table.stdout)
        for (window, target) in zip(windows, ["device robot-1", "device robot-2", "site tianshan", "site central"]) {
            let row = try XCTUnwrap(lines.first { $0.hasPrefix(window.id + " ") }, table.stdout)
            let short = { (t: String) in String(t.prefix(19)).replacingOccurrences(of: "T", with: " ") }
            XCTAssertTrue(row.contains(target) && row.contains(" once "), row)
            XCTAssertTrue(row.contains(short(window.from)) && row.contains(short(window.until)), row)
            XCTAssertTrue(row.contains("li.wei") && row.contains(window.reason ?? "?"), row)
        }
    }
}
