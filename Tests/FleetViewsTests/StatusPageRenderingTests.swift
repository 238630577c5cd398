import FleetCore
import Foundation
import XCTest

@testable import FleetViews

/// The status page rendered from a fixed snapshot: the whole document against a golden file,
/// and each device-, operator- and configuration-supplied string escaped.
final class StatusPageRenderingTests: XCTestCase {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// `FLEETWATCH_UPDATE_GOLDEN=1 swift test --filter StatusPageRenderingTests` rewrites the
    /// golden files; review the diff (and a screenshot) before committing them.
    func assertGolden(_ html: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["FLEETWATCH_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try html.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        guard html != golden else { return }
        let (a, b) = (
            html.split(separator: "\n", omittingEmptySubsequences: false),
            golden.split(separator: "\n", omittingEmptySubsequences: false)
        )
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        XCTFail(
            "\(name) differs at line \(first + 1):\n got: \(first < a.count ? a[first] : "(end)")\n"
                + "want: \(first < b.count ? b[first] : "(end)")", file: file, line: line)
    }

    func testThePageMatchesItsGoldenFileInEnglish() throws {
        try assertGolden(StatusPage(PageFixture.snapshot(.en)).html(), "status-page.en.html")
    }

    func testThePageMatchesItsGoldenFileInChinese() throws {
        try assertGolden(StatusPage(PageFixture.snapshot(.zhCN)).html(), "status-page.zh-CN.html")
    }

    func testOneSitesPageMatchesItsGoldenFile() throws {
        try assertGolden(StatusPage(PageFixture.snapshot(.zhCN, focus: "tianshan")).html(), "status-page.site.html")
    }

    func testEverySuppliedStringAppearsAsTextNeverAsMarkup() {
        for language in ReportLanguage.allCases {
            let html = StatusPage(PageFixture.snapshot(language)).html()
            XCTAssertFalse(html.contains("<script"), "a <script> got through")
            XCTAssertFalse(html.contains("<img"), "an <img> got through")
            XCTAssertFalse(html.contains("<b>ops</b>") || html.contains("<b>beta</b>"), "markup got through")
            for hostile in [
                PageFixture.hostileSite, PageFixture.hostileName, PageFixture.hostileFirmware,
                PageFixture.hostileSummary, PageFixture.hostileOperator, PageFixture.hostileDispatcher,
            ] {
                XCTAssertTrue(html.contains(HTML.text(hostile)), "\(hostile) is not shown as text")
                XCTAssertNotEqual(HTML.text(hostile), hostile)
            }
            XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;site&quot;)&lt;/script&gt; Reading room"))
            XCTAssertTrue(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
            XCTAssertTrue(html.contains("bob&#39;); --"))
        }
    }

    func testControlCharactersAndBidiOverridesNeverReachThePage() {
        XCTAssertEqual(HTML.text("a\u{1B}[2Kb\u{7}c"), "a\u{FFFD}[2Kb\u{FFFD}c")
        XCTAssertEqual(HTML.text("gate\u{202E}10-etag"), "gate\u{FFFD}10-etag")
        XCTAssertEqual(HTML.text("x\u{2028}y\u{85}z\u{0}"), "x\u{FFFD}y\u{FFFD}z\u{FFFD}")
        XCTAssertEqual(HTML.text("天山路 & <ok>"), "天山路 &amp; &lt;ok&gt;")
        XCTAssertEqual(HTML.text("plain text 1.0"), "plain text 1.0")
    }

    func testProblemsAreOrderedByPriorityThenNearestDeadline() {
        let html = StatusPage(PageFixture.snapshot(.en)).html()
        let order = ["INC-000009", "INC-000008", "INC-000007"].map { html.range(of: $0)?.lowerBound }
        XCTAssertTrue(order.allSatisfy { $0 != nil }, "every problem is listed")
        let positions = order.compactMap { $0 }
        XCTAssertEqual(
            positions, positions.sorted(), "P1 first, then the P2 whose respond_by is past, then the later one")
        XCTAssertFalse(
            html.contains("<span class=\"inc\">INC-000010</span>"), "the child is folded into its outage's row")
        XCTAssertTrue(html.contains("<dt>problem</dt><dd>INC-000010 offline: "), "and named on its device's tile")
        XCTAssertTrue(html.contains("1 more incident inside"))
    }

    func testBreachedClocksAreRedAndRunningOnesShowTheTimeLeft() {
        let html = StatusPage(PageFixture.snapshot(.en)).html()
        XCTAssertTrue(
            html.contains("<li class=\"late\">respond by <time>20:30</time> · <b>overdue by 1 h</b></li>"), html)
        XCTAssertTrue(
            html.contains("<li class=\"due\">on site by <time>11-27 21:10</time> · <b>23 h 40 min left</b></li>"))
        XCTAssertTrue(html.contains("acknowledged by &lt;b&gt;ops&lt;/b&gt; &amp; co"))
        XCTAssertTrue(html.contains("engineer sent (bob&#39;); --)"))
        XCTAssertTrue(html.contains("<article class=\"incident p2 overdue\">"))
        let zh = StatusPage(PageFixture.snapshot(.zhCN)).html()
        XCTAssertTrue(zh.contains("<li class=\"late\">响应期限 <time>20:30</time> · <b>已超时 1小时</b></li>"))
    }

    func testThePageRefreshesItselfAndNeedsNothingFromElsewhere() {
        let html = StatusPage(PageFixture.snapshot(.zhCN)).html()
        XCTAssertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"10\">"))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        for external in ["http://", "https://", "src=\"", "<link", "<script", "<iframe", "@import", "url("] {
            XCTAssertFalse(html.contains(external), "the page refers to \(external)")
        }
        XCTAssertTrue(html.contains("\"WenQuanYi Micro Hei\""), "a CJK font stack")
    }

    func testASiteWithOpeningHoursSaysWhetherItIsOpen() {
        let en = StatusPage(PageFixture.snapshot(.en)).html()
        XCTAssertTrue(en.contains("<span class=\"hours closed\">closed · opens 11-27 09:00</span>"))
        XCTAssertTrue(en.contains("<li class=\"tile st-sleeping\" title=\"kiosk-02 · digital human · asleep (closed)"))
        let zh = StatusPage(PageFixture.snapshot(.zhCN)).html()
        XCTAssertTrue(zh.contains("<span class=\"hours closed\">闭馆中 · 11-27 09:00 开馆</span>"))
        var open = PageFixture.snapshot(.zhCN)
        open.now -= 3 * 3600  // 18:30
        open.sites[1].hours = SiteHoursView(
            site: "tianshan", configuration: PageFixture.configuration,
            time: PageFixture.zone, at: open.now)
        XCTAssertTrue(StatusPage(open).html().contains("<span class=\"hours open\">开放中 · 21:00 闭馆</span>"))
        XCTAssertFalse(zh.contains("<span class=\"hours\">"), "sites without a schedule say nothing")
    }

    func testEveryDeviceStateHasAPlaceInTheSummaryAndTheLegend() {
        XCTAssertEqual(Set(StatusPage.stateOrder), Set(DeviceState.allCases))
        for language in ReportLanguage.allCases {
            let text = PageText.forLanguage(language)
            for state in DeviceState.allCases {
                XCTAssertNotNil(text.states[state], "\(state) has no \(language) word")
            }
        }
    }

    func testDurationsShowTheirTwoLargestUnits() {
        let en = PageTime(format: PageFixture.zone, units: PageText.english.units, now: PageFixture.now)
        XCTAssertEqual(en.duration(42), "42 s")
        XCTAssertEqual(en.duration(-3600), "1 h")
        XCTAssertEqual(en.duration(3 * 3600 + 5 * 60 + 9), "3 h 5 min")
        XCTAssertEqual(en.duration(2 * 86400 + 3 * 3600 + 59), "2 d 3 h")
        XCTAssertEqual(en.duration(.infinity), "11574 d 1 h")
        let zh = PageTime(format: PageFixture.zone, units: PageText.chinese.units, now: PageFixture.now)
        XCTAssertEqual(zh.duration(2 * 86400 + 3 * 3600), "2天3小时")
        XCTAssertEqual(zh.clock(PageFixture.now + 3600), "22:30")
        XCTAssertEqual(zh.clock(PageFixture.now + 86400), "11-27 21:30")
    }
}
