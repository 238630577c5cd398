import FleetCore
import Foundation
import XCTest

@testable import FleetReport

/// The three formats: JSON with SPEC §13's keys, HTML that is one self-contained file, Markdown
/// with the same sections; both languages; an empty period.
final class RenderingTests: XCTestCase {
    typealias F = ReportFixture

    private func busyMonth(_ language: ReportLanguage) -> ReportFixture {
        var f = ReportFixture()
        f.language = language
        f.device("gate-01", [("2026-11-03 11:30", "offline"), ("2026-11-03 13:30", "online")])
        f.device("robot-01", site: "central", kind: "delivery-robot")
        f.incident(1, opened: "2026-11-03 11:30", acknowledged: "2026-11-03 11:40", resolved: "2026-11-03 13:30")
        f.event(1, .ack, at: "2026-11-03 11:40", [("by", "li.wei")])
        f.maintenance = [
            MaintenanceWindow(
                id: 1, site: "central", from: F.at("2026-11-08 02:00"),
                until: F.at("2026-11-08 04:00"), reason: "firmware", createdBy: "li.wei")
        ]
        return f
    }

    private func object(_ json: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    func testJSONHasEveryKeyOfSPEC13() throws {
        let o = try object(ReportJSON.render(busyMonth(.en).report))
        for key in ["period", "fleet", "sites", "kinds", "devices", "incidents", "sla", "risks", "recommendations"] {
            XCTAssertNotNil(o[key], key)
        }
        let period = try XCTUnwrap(o["period"] as? [String: Any])
        XCTAssertEqual(period["from"] as? String, "2026-11-01T00:00:00+08:00")
        XCTAssertEqual(period["to"] as? String, "2026-12-01T00:00:00+08:00")
        XCTAssertEqual(period["timezone"] as? String, "Asia/Shanghai")
        XCTAssertEqual(period["service_s"] as? Double, 30 * F.serviceDay)
        let fleet = try XCTUnwrap(o["fleet"] as? [String: Any])
        XCTAssertEqual(Set(fleet.keys).isSuperset(of: ["devices", "availability", "downtime_s", "eligible_s"]), true)
        XCTAssertEqual(fleet["devices"] as? Int, 2)
        XCTAssertEqual(fleet["downtime_s"] as? Double, 3600)
        let site = try XCTUnwrap((o["sites"] as? [[String: Any]])?.first { $0["site"] as? String == "tianshan" })
        XCTAssertEqual(site["name"] as? String, "天山路街道图书馆")
        XCTAssertEqual(site["incidents"] as? [String: Int], ["P1": 0, "P2": 1])
        for key in ["site", "name", "devices", "availability", "downtime_s", "eligible_s"] {
            XCTAssertNotNil(site[key], key)
        }
        let kind = try XCTUnwrap((o["kinds"] as? [[String: Any]])?.first)
        for key in ["kind", "devices", "availability", "downtime_s", "eligible_s"] { XCTAssertNotNil(kind[key], key) }
        let device = try XCTUnwrap((o["devices"] as? [[String: Any]])?.first { $0["id"] as? String == "gate-01" })
        for key in ["id", "site", "kind", "availability", "downtime_s", "eligible_s", "incidents", "reboots"] {
            XCTAssertTrue(device.keys.contains(key), key)
        }
        XCTAssertEqual(device["incidents"] as? Int, 1)
        XCTAssertTrue(device["reboots"] is NSNull, "unknown until data quality records them")
        let availability = try XCTUnwrap(device["availability"] as? Double)
        let down = try XCTUnwrap(device["downtime_s"] as? Double)
        let eligible = try XCTUnwrap(device["eligible_s"] as? Double)
        XCTAssertEqual(availability, 1 - down / eligible, accuracy: 1e-15)
        let incidents = try XCTUnwrap(o["incidents"] as? [String: Any])
        XCTAssertEqual(incidents["total"] as? Int, 1)
        XCTAssertEqual(incidents["by_priority"] as? [String: Int], ["P1": 0, "P2": 1])
        XCTAssertEqual(incidents["by_rule"] as? [String: Int], ["offline": 1])
        XCTAssertEqual(incidents["mtta_s"] as? Double, 600)
        XCTAssertEqual(incidents["mttr_s"] as? Double, 7200)
        XCTAssertEqual(incidents["mttr_service_s"] as? Double, 3600)
        let sla = try XCTUnwrap(o["sla"] as? [String: Any])
        let respond = try XCTUnwrap(sla["respond"] as? [String: Any])
        XCTAssertEqual(respond["met"] as? Int, 1)
        XCTAssertEqual(respond["breached"] as? Int, 0)
        XCTAssertEqual(respond["compliance"] as? Double, 1)
        let onsite = try XCTUnwrap(sla["onsite"] as? [String: Any])
        XCTAssertTrue(onsite["compliance"] is NSNull)
        for clock in ["resolve", "plan"] {  // SPEC §6: the report counts the repair clock too
            let c = try XCTUnwrap(sla[clock] as? [String: Any], clock)
            XCTAssertEqual(Set(c.keys).isSuperset(of: ["met", "breached", "compliance"]), true, clock)
        }
        XCTAssertNotNil(
            (o["risks"] as? [[String: Any]]).map { $0.allSatisfy { $0["rule"] != nil && $0["text"] != nil } })
        let recommendation = try XCTUnwrap((o["recommendations"] as? [[String: Any]])?.first)
        XCTAssertNotNil(recommendation["text"] as? String)
        let handling = try XCTUnwrap((o["handling"] as? [[String: Any]])?.first)
        XCTAssertEqual(handling["acknowledged_by"] as? String, "li.wei")
    }

    func testHTMLIsOneSelfContainedFileWithFourChartsAndTheContractsSections() {
        let html = ReportHTML.render(busyMonth(.zhCN).report)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<title>巡检报告"))
        for section in ["运行状态", "故障及处理过程", "潜在风险及应对计划", "改进或优化建议"] {
            XCTAssertTrue(html.contains("<h2>") && html.contains(section), section)
        }
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 4)
        XCTAssertEqual(html.components(separatedBy: "<section ").count - 1, 4)
        XCTAssertTrue(html.contains("break-before: page"))
        XCTAssertTrue(html.contains("\"WenQuanYi Micro Hei\""))
        XCTAssertTrue(html.contains("gate-01"))
        XCTAssertTrue(html.contains("天山路街道图书馆"))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("<img"))
        let urls = html.matches(of: /https?:\/\/[^"\s<]+/).map { String($0.output) }
        XCTAssertEqual(Set(urls), ["http://www.w3.org/2000/svg"], "the SVG namespace is the only URL, and no fetch")
    }

    func testMarkdownInEnglishHasTheSameSectionsAndTables() {
        let md = ReportMarkdown.render(busyMonth(.en).report)
        XCTAssertTrue(md.hasPrefix("# Inspection report · November 2026"))
        for heading in [
            "## 1. Operational status", "## 2. Faults and how they were handled",
            "## 3. Potential risks and plans", "## 4. Improvement and optimisation recommendations",
        ] {
            XCTAssertTrue(md.contains(heading), heading)
        }
        XCTAssertTrue(md.contains("| 天山路街道图书馆 | 1 | 99.72% | 1.0 h | 360 h | 0 | 1 |"), md)
        XCTAssertTrue(
            md.contains(
                "| INC-000001 | P2 | offline · gate-01 · 天山路街道图书馆 | 11-03 11:30 | ack 11:40 li.wei; "
                    + "resolved 13:30 | 2 h |"), md)
    }

    func testAnEmptyPeriodGivesAValidReportThatSaysSo() throws {
        var f = ReportFixture()
        f.historySince = nil
        let r = f.report
        XCTAssertTrue(r.isEmpty)
        let o = try object(ReportJSON.render(r))
        XCTAssertEqual(o["empty"] as? Bool, true)
        XCTAssertEqual((o["fleet"] as? [String: Any])?["devices"] as? Int, 0)
        XCTAssertTrue((o["fleet"] as? [String: Any])?["availability"] is NSNull)
        let html = ReportHTML.render(r)
        XCTAssertTrue(html.contains("No device was monitored and no fault was recorded in this period."))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 4)
        f.language = .zhCN
        XCTAssertTrue(ReportMarkdown.render(f.report).contains("本报告期内没有设备运行数据"))
    }

    /// A recurring window (opening hours) says when it recurs; one without an end shows none.
    func testARecurringMaintenanceWindowSaysWhenItRecurs() throws {
        var f = busyMonth(.en)
        let nightly = try MaintenanceRecurrence.parse("daily 21:00-09:00").get()
        f.maintenance.append(
            MaintenanceWindow(
                id: 2, site: "tianshan", from: F.at("2026-11-01 00:00"), until: MaintenanceWindow.noEnd,
                reason: "closed at night", every: nightly))
        let md = ReportMarkdown.render(f.report)
        XCTAssertTrue(md.contains("| MW-2 | 天山路街道图书馆 | daily 21:00-09:00 (2026-11-01) | — | closed at night |"), md)
        let json = try object(ReportJSON.render(f.report))
        let windows = try XCTUnwrap(json["maintenance"] as? [[String: Any]])
        XCTAssertEqual(windows.map { $0["every"] as? String }, [nil, "daily 21:00-09:00"])
    }

    /// A tiny parse-and-escape check: names with markup stay text.
    func testNamesAreEscaped() {
        var f = busyMonth(.en)
        f.siteNames["central"] = "<b>Central</b> & Co"
        let html = ReportHTML.render(f.report)
        XCTAssertTrue(html.contains("&lt;b&gt;Central&lt;/b&gt; &amp; Co"))
        XCTAssertFalse(html.contains("<b>Central"))
    }
}
