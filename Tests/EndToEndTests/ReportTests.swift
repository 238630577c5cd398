import Foundation
import XCTest

/// `fleetwatch report` over a scripted stretch of time through the real broker and daemon: the
/// figures match what the script did, with the daemon running and stopped (issue 16).
final class ReportTests: EndToEndTestCase {
    /// Service time all day and a 2 s response time, so a test's seconds are service time and one
    /// unanswered incident breaches.
    func writeReportConfig() throws {
        try writeConfig(
            grace: 1, resolveAfter: 1,
            extra: """
                [sla]
                service_hours = ["00:00-24:00"]
                respond_within_s = 2

                [sites.site01]
                name = "天山路街道图书馆"
                """)
    }

    static func rfc3339(_ t: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    static func parse(_ text: String?) -> Double? {
        guard let text else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)?.timeIntervalSince1970
    }

    /// Two gates: gate-01 down 3 s → 7 s (acknowledged at once), gate-02 down 9 s → 15 s (never
    /// acknowledged: its 2 s response time passes). Returns the span around it all.
    func playTwoOutages() throws -> (from: Double, to: Double) {
        try writeReportConfig()
        let from = Date().timeIntervalSince1970
        try startDaemon()
        try startSim([
            "--sites", "1", "--kinds", "face-gate", "--per-kind", "2", "--interval", "0.3",
            "--at", "3:kill:gate-site01-01", "--at", "7:resume:gate-site01-01",
            "--at", "9:kill:gate-site01-02", "--at", "15:resume:gate-site01-02",
        ])
        var first: String?
        XCTAssertTrue(
            try waitUntil(10) {
                first = try openIncidents().first { $0.device == "gate-site01-01" }?.id
                return first != nil
            })
        let ack = try cli(["ack", try XCTUnwrap(first), "--by", "li.wei"])
        XCTAssertEqual(ack.status, 0, ack.stderr)
        XCTAssertTrue(
            try waitUntil(25) {
                let all = try allIncidents()
                return all.count == 2 && all.allSatisfy { $0.status == "resolved" }
            }, "\((try? allIncidents()) ?? [])")
        XCTAssertEqual(try alerts(event: "SLA-BREACH").count, 1, alertLines().joined(separator: "\n"))
        waitPast(0.5, "the last state changes are committed")
        return (from, Date().timeIntervalSince1970)
    }

    func spanArguments(_ span: (from: Double, to: Double)) -> [String] {
        ["--from", Self.rfc3339(span.from), "--to", Self.rfc3339(span.to)]
    }

    func report(_ span: (from: Double, to: Double), _ extra: [String] = []) throws -> CommandResult {
        let result = try cli(["report"] + spanArguments(span) + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result
    }

    func testTheReportOfAScriptedSpanMatchesWhatHappened() throws {
        let span = try playTwoOutages()
        let (json, running) = try cliReport(spanArguments(span))

        for (id, outage) in [("gate-site01-01", 4.0), ("gate-site01-02", 6.0)] {
            let d = try XCTUnwrap(json.device(id), id)
            XCTAssertEqual(d.figures.downtime, outage, accuracy: 1, "\(id): downtime within 1 s of the outage")
            XCTAssertEqual(
                d.figures.eligible, span.to - span.from, accuracy: 3, "\(id): service time all day, since heard")
            XCTAssertEqual(
                try XCTUnwrap(d.figures.availability), 1 - d.figures.downtime / d.figures.eligible,
                accuracy: 1e-9)
            XCTAssertEqual(d.incidents, 1)
            XCTAssertNil(d.reboots, "not recorded (yet): null, not 0")
        }
        XCTAssertEqual(json.fleet.devices, 2)
        XCTAssertEqual(json.period.timezone, "Asia/Shanghai")
        let site = try XCTUnwrap(json.sites.first)
        XCTAssertEqual(site.name, "天山路街道图书馆")
        XCTAssertEqual(site.incidents, ["P1": 0, "P2": 2])
        XCTAssertEqual(json.kinds.map(\.kind), ["face-gate"])

        let durations = try allIncidents().compactMap { i -> Double? in
            guard let opened = Self.parse(i.openedAt), let resolved = Self.parse(i.resolvedAt) else { return nil }
            return resolved - opened
        }
        XCTAssertEqual(durations.count, 2)
        XCTAssertEqual(json.incidents.total, 2)
        XCTAssertEqual(json.incidents.byRule, ["offline": 2])
        XCTAssertEqual(
            try XCTUnwrap(json.incidents.mttr), durations.reduce(0, +) / 2, accuracy: 1.01,
            "MTTR is the mean of resolved − opened (the CLI shows whole seconds)")
        XCTAssertEqual(json.sla.respond.met, 1)
        XCTAssertEqual(json.sla.respond.breached, 1)
        XCTAssertEqual(json.sla.respond.compliance, 0.5)
        XCTAssertNil(json.sla.onsite.compliance, "nobody was dispatched")
        XCTAssertEqual(json.handling.first?.acknowledgedBy, "li.wei")
        XCTAssertEqual(json.handling.map(\.respond), ["met", "breached"])

        let html = try report(span).stdout
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("巡检报告"))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 4, "four charts")
        XCTAssertTrue(html.contains("gate-site01-01") && html.contains("gate-site01-02"))
        let markdown = try report(span, ["--format", "markdown", "--lang", "en"]).stdout
        XCTAssertTrue(markdown.hasPrefix("# Inspection report"), markdown)
        XCTAssertTrue(markdown.contains("## 2. Faults and how they were handled"), markdown)
        XCTAssertTrue(markdown.contains("gate-site01-02"), markdown)

        // The daemon stopped: the report reads the database alone, and says the same.
        daemon?.stop()
        let stopped = try cliReport(spanArguments(span)).text
        func withoutGenerated(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { !$0.hasPrefix("\"generated_at\"") }
        }
        XCTAssertEqual(withoutGenerated(stopped), withoutGenerated(running))
    }

    /// Options: a file or a directory as --output, and usage errors that say what to do.
    func testOutputFilesAndUsageErrors() throws {
        try writeReportConfig()
        try startDaemon()
        let file = directory + "/out.md"
        XCTAssertEqual(try cli(["report", "--month", "2026-11", "--format", "markdown", "--output", file]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("巡检报告 · 2026年11月"))
        XCTAssertEqual(
            try cli([
                "report", "--month", "2026-11", "--format", "json", "--site", "site01",
                "--output", directory + "/",
            ]).status, 0, "configured, if without devices yet")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/report-2026-11-site01.json"))
        let unknown = try cli(["report", "--site", "nowhere"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(
            unknown.stderr, "fleetwatch: no site nowhere in the configuration or the database (see fleetwatch status)\n"
        )
        XCTAssertEqual(try cli(["report", "--month", "2026-11", "--output", directory + "/"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/report-2026-11.html"))
        for (args, message) in [
            (["--month", "2026-13"], "--month must be YYYY-MM"),
            (["--month", "2026-11", "--from", "2026-11-01"], "use either --month or --from/--to"),
            (["--to", "2026-11-01"], "--to needs --from"),
            (["--from", "2026-11-05", "--to", "2026-11-01"], "--to must be after --from"),
            (["--from", "yesterday"], "--from must be an RFC 3339 time or a date YYYY-MM-DD"),
            (["--format", "pdf"], "--format must be html, markdown or json"),
            (["--lang", "fr"], "--lang must be zh-CN or en"),
            (["--from", "2024-01-01", "--to", "2026-01-01"], "the period must be at most 400 days long"),
        ] {
            let result = try cli(["report"] + args)
            XCTAssertEqual(result.status, 2, "\(args): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(args): \(result.stderr)")
        }
    }

    /// The report counts service time: a broken `[sla]` calendar stops it, naming the key (other
    /// commands, which only show times, go on with a warning).
    func testABrokenServiceCalendarStopsTheReportButNotTheOtherCommands() throws {
        try writeConfig(extra: "[sla]\nservice_hours = [\"09:00-25:00\"]\n")
        XCTAssertTrue(FileManager.default.createFile(atPath: databasePath, contents: nil))
        let report = try cli(["report", "--month", "2026-11"])
        XCTAssertEqual(report.status, 1, report.stderr)
        XCTAssertTrue(report.stderr.hasPrefix("fleetwatch: config: sla.service_hours"), report.stderr)
        XCTAssertEqual(report.stdout, "")
        let status = try cli(["status"])
        XCTAssertTrue(status.stderr.contains("warning: config: sla.service_hours"), status.stderr)
    }

    /// The report's language comes from `[report] language` unless `--lang` names one: a broken
    /// key stops the report (it is used, so no "does not use it" warning and a zh-CN report),
    /// and `--lang` makes it unneeded.
    func testABrokenReportLanguageStopsTheReportUnlessLangIsGiven() throws {
        try writeConfig(extra: "[report]\nlanguage = \"fr\"\n")
        XCTAssertTrue(FileManager.default.createFile(atPath: databasePath, contents: nil))
        let report = try cli(["report", "--month", "2026-11", "--format", "json"])
        XCTAssertEqual(report.status, 1, report.stderr)
        XCTAssertTrue(report.stderr.hasPrefix("fleetwatch: config: report.language"), report.stderr)
        XCTAssertEqual(report.stdout, "")
        let english = try cli(["report", "--month", "2026-11", "--format", "json", "--lang", "en"])
        XCTAssertEqual(english.status, 0, english.stderr)
        XCTAssertTrue(english.stderr.contains("warning: config: report.language"), english.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(english.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["language"] as? String, "en")
    }

    /// A database the daemon has just created, and a period with nothing in it: valid reports
    /// that say so.
    func testAnEmptyPeriodGivesAValidReportThatSaysSo() throws {
        try writeReportConfig()
        try startDaemon()
        let json = try cliReport(["--from", "2020-01-01", "--to", "2020-02-01", "--lang", "en"]).report
        XCTAssertTrue(json.empty)
        XCTAssertNil(json.period.dataFrom, "history began after this period")
        XCTAssertEqual(json.fleet.devices, 0)
        XCTAssertNil(json.fleet.availability)
        let html = try cli(["report", "--from", "2020-01-01", "--to", "2020-02-01", "--lang", "en"]).stdout
        XCTAssertTrue(html.contains("No device was monitored and no fault was recorded in this period."))
    }
}
