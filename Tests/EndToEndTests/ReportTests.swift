import Foundation
import XCTest

/// `fleetwatch report` over a scripted stretch of time through the real broker and daemon: the
/// figures match what the script did, with the daemon running and stopped (issue 16).
final class ReportTests: EndToEndTestCase {
    /// Service time all day and a 2 s response time, so a test's seconds are service time and one
    /// unanswered incident breaches.
    func writeReportConfig() throws {
        try writeConfig(grace: 1, resolveAfter: 1, extra: """
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

    static func parse(_ text: Any?) -> Double? {
        guard let text = text as? String else { return nil }
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
        try startSim(["--sites", "1", "--kinds", "face-gate", "--per-kind", "2", "--interval", "0.3",
                      "--at", "3:kill:gate-site01-01", "--at", "7:resume:gate-site01-01",
                      "--at", "9:kill:gate-site01-02", "--at", "15:resume:gate-site01-02"])
        var first: String?
        XCTAssertTrue(try waitUntil(10) {
            first = try incidents().first { $0["device"] as? String == "gate-site01-01" }?["id"] as? String
            return first != nil
        })
        let ack = try cli(["ack", try XCTUnwrap(first), "--by", "li.wei"])
        XCTAssertEqual(ack.status, 0, ack.stderr)
        XCTAssertTrue(try waitUntil(25) {
            let all = try incidents(all: true)
            return all.count == 2 && all.allSatisfy { $0["status"] as? String == "resolved" }
        }, "\((try? incidents(all: true)) ?? [])")
        XCTAssertEqual(alertLines(event: "SLA-BREACH").count, 1, alertLines().joined(separator: "\n"))
        Thread.sleep(forTimeInterval: 0.5)
        return (from, Date().timeIntervalSince1970)
    }

    func report(_ span: (from: Double, to: Double), _ extra: [String] = []) throws -> CommandResult {
        let result = try cli(["report", "--from", Self.rfc3339(span.from), "--to", Self.rfc3339(span.to)] + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result
    }

    func testTheReportOfAScriptedSpanMatchesWhatHappened() throws {
        let span = try playTwoOutages()
        let running = try report(span, ["--format", "json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(running.stdout.utf8)) as? [String: Any])

        let devices = try XCTUnwrap(json["devices"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: devices.compactMap { d in (d["id"] as? String).map { ($0, d) } })
        for (id, outage) in [("gate-site01-01", 4.0), ("gate-site01-02", 6.0)] {
            let d = try XCTUnwrap(byID[id], id)
            let down = try XCTUnwrap(d["downtime_s"] as? Double), eligible = try XCTUnwrap(d["eligible_s"] as? Double)
            XCTAssertEqual(down, outage, accuracy: 1, "\(id): downtime within 1 s of the outage")
            XCTAssertEqual(eligible, span.to - span.from, accuracy: 3, "\(id): service time all day, since it was heard")
            XCTAssertEqual(try XCTUnwrap(d["availability"] as? Double), 1 - down / eligible, accuracy: 1e-9)
            XCTAssertEqual(d["incidents"] as? Int, 1)
        }
        let fleet = try XCTUnwrap(json["fleet"] as? [String: Any])
        XCTAssertEqual(fleet["devices"] as? Int, 2)
        let site = try XCTUnwrap((json["sites"] as? [[String: Any]])?.first)
        XCTAssertEqual(site["name"] as? String, "天山路街道图书馆")
        XCTAssertEqual(site["incidents"] as? [String: Int], ["P1": 0, "P2": 2])

        let stored = try incidents(all: true)
        let durations = stored.compactMap { i -> Double? in
            guard let opened = Self.parse(i["opened_at"]), let resolved = Self.parse(i["resolved_at"]) else { return nil }
            return resolved - opened
        }
        XCTAssertEqual(durations.count, 2)
        let figures = try XCTUnwrap(json["incidents"] as? [String: Any])
        XCTAssertEqual(figures["total"] as? Int, 2)
        XCTAssertEqual(figures["by_rule"] as? [String: Int], ["offline": 2])
        XCTAssertEqual(try XCTUnwrap(figures["mttr_s"] as? Double), durations.reduce(0, +) / 2, accuracy: 1.01,
                       "MTTR is the mean of resolved − opened (the CLI shows whole seconds)")
        let respond = try XCTUnwrap((json["sla"] as? [String: Any])?["respond"] as? [String: Any])
        XCTAssertEqual(respond["met"] as? Int, 1)
        XCTAssertEqual(respond["breached"] as? Int, 1)
        XCTAssertEqual(respond["compliance"] as? Double, 0.5)
        let handling = try XCTUnwrap(json["handling"] as? [[String: Any]])
        XCTAssertEqual(handling.first?["acknowledged_by"] as? String, "li.wei")
        XCTAssertEqual(handling.map { $0["respond"] as? String }, ["met", "breached"])

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
        let stopped = try report(span, ["--format", "json"])
        func withoutGenerated(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { !$0.hasPrefix("\"generated_at\"") }
        }
        XCTAssertEqual(withoutGenerated(stopped.stdout), withoutGenerated(running.stdout))
    }

    /// Options: a file or a directory as --output, and usage errors that say what to do.
    func testOutputFilesAndUsageErrors() throws {
        try writeReportConfig()
        try startDaemon()
        let file = directory + "/out.md"
        XCTAssertEqual(try cli(["report", "--month", "2026-11", "--format", "markdown", "--output", file]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("巡检报告 · 2026年11月"))
        XCTAssertEqual(try cli(["report", "--month", "2026-11", "--format", "json", "--site", "site01",
                                "--output", directory + "/"]).status, 0, "configured, if without devices yet")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/report-2026-11-site01.json"))
        let unknown = try cli(["report", "--site", "nowhere"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "fleetwatch: no site nowhere in the configuration or the database (see fleetwatch status)\n")
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

    /// A database the daemon has just created, and a period with nothing in it: valid reports
    /// that say so.
    func testAnEmptyPeriodGivesAValidReportThatSaysSo() throws {
        try writeReportConfig()
        try startDaemon()
        let result = try cli(["report", "--from", "2020-01-01", "--to", "2020-02-01", "--format", "json", "--lang", "en"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["empty"] as? Bool, true)
        XCTAssertTrue((json["period"] as? [String: Any])?["data_from"] is NSNull, "history began after this period")
        let html = try cli(["report", "--from", "2020-01-01", "--to", "2020-02-01", "--lang", "en"]).stdout
        XCTAssertTrue(html.contains("No device was monitored and no fault was recorded in this period."))
    }
}
