import Foundation
import XCTest

/// The monthly inspection report's timer and service, checked like the daemon's unit: verified
/// without a warning, hardened, monthly and catching up, and its commands doing what they say.
extension SystemdTests {
    /// Copies of both units whose ExecStart points at the `fleetwatch` just built.
    func installedReportUnitCopies() throws -> (service: String, timer: String) {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var paths: [String] = []
        for name in ["fleetwatch-report.service", "fleetwatch-report.timer"] {
            let text = try String(contentsOf: repo.appendingPathComponent("systemd/\(name)"), encoding: .utf8)
            let path = directory + "/" + name
            try text.replacingOccurrences(of: "/usr/local/bin/fleetwatch ", with: Binaries.path("fleetwatch") + " ")
                .write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        return (paths[0], paths[1])
    }

    func testReportTimerAndServiceVerifyWithoutAnyWarning() throws {
        let units = try installedReportUnitCopies()
        let result = try runCommand("/usr/bin/systemd-analyze", ["verify", units.service, units.timer])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines), "", result.stderr)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "", result.stdout)
    }

    /// It needs no network at all, so it is held tighter than the daemon (≤ 2.0).
    func testReportServiceIsHardenedToAnExposureOfAtMostOne() throws {
        let units = try installedReportUnitCopies()
        let result = try runCommand("/usr/bin/systemd-analyze", ["security", "--offline=true", units.service])
        let line = try XCTUnwrap(
            result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") },
            result.stdout + result.stderr)
        let score = try XCTUnwrap(line.split(separator: " ").compactMap { Double($0) }.first, String(line))
        XCTAssertLessThanOrEqual(score, 1.0, String(line))
    }

    /// Monthly: the next runs are on the 1st of consecutive months; Persistent=true catches up a
    /// run missed while the machine was off.
    func testReportTimerFiresOnTheFirstOfEveryMonthAndCatchesUp() throws {
        let units = try installedReportUnitCopies()
        let text = try String(contentsOfFile: units.timer, encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(lines.contains("Persistent=true"), text)
        let calendar = try XCTUnwrap(lines.first { $0.hasPrefix("OnCalendar=") }).dropFirst("OnCalendar=".count)
        let result = try runCommand("/usr/bin/systemd-analyze", ["calendar", "--iterations=3", String(calendar)])
        XCTAssertEqual(result.status, 0, result.stderr)
        let elapses = result.stdout.split(separator: "\n").filter {
            $0.contains("Next elapse:") || $0.contains("Iter. #")
        }
        .compactMap { $0.firstMatch(of: /(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})/) }
        XCTAssertEqual(elapses.count, 3, result.stdout)
        XCTAssertEqual(Set(elapses.map { String($0.output.3) }), ["01"], result.stdout)
        XCTAssertEqual(Set(elapses.map { String($0.output.4) }), ["06:00:00"], result.stdout)
        let months = elapses.map { (Int($0.output.1) ?? 0) * 12 + (Int($0.output.2) ?? 0) }
        XCTAssertEqual(months, [months[0], months[0] + 1, months[0] + 2], result.stdout)
    }

    /// Each ExecStart line, as written (with this test's config and reports directory), writes
    /// last month's report: HTML and JSON, named by the month.
    func testReportServiceCommandsWriteLastMonthsReports() throws {
        try writeConfig()
        try startDaemon()
        let units = try installedReportUnitCopies()
        let reports = directory + "/reports/"
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        let unit = try String(contentsOfFile: units.service, encoding: .utf8)
        let commands = unit.split(separator: "\n").filter { $0.hasPrefix("ExecStart=") }.map {
            $0.dropFirst("ExecStart=".count).replacingOccurrences(
                of: "/etc/fleetwatch/fleetwatch.toml", with: configPath
            )
            .replacingOccurrences(of: "/var/lib/fleetwatch/reports/", with: reports)
        }
        XCTAssertEqual(commands.count, 2)
        for command in commands {
            let result = try runCommand("/bin/sh", ["-c", command])
            XCTAssertEqual(result.status, 0, "\(command)\n\(result.stderr)")
        }
        let month = try Self.lastMonth(in: XCTUnwrap(TimeZone(identifier: "Asia/Shanghai")))
        let files = try FileManager.default.contentsOfDirectory(atPath: reports).sorted()
        XCTAssertEqual(files, ["report-\(month).html", "report-\(month).json"])
        let json = try decodeCLIOutput(
            CLIReport.self, from: String(contentsOfFile: reports + files[1], encoding: .utf8),
            command: commands[1].split(separator: " ").map(String.init))
        XCTAssertEqual(json.period.month, month)
    }

    /// `YYYY-MM` of the month before this one in `zone`, by Foundation (not the code under test).
    static func lastMonth(in zone: TimeZone) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let last = try XCTUnwrap(calendar.date(byAdding: .month, value: -1, to: Date()))
        let c = calendar.dateComponents([.year, .month], from: last)
        return String(format: "%04d-%02d", try XCTUnwrap(c.year), try XCTUnwrap(c.month))
    }
}
