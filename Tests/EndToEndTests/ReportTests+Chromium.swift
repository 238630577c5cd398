import Foundation
import XCTest

/// The HTML report in a real browser: headless Chromium renders it to PNG and prints it to PDF.
/// A DOM check cannot see a page of empty boxes (no CJK font) or sections that do not start
/// their own page; these can. Set FLEETWATCH_REPORT_ARTIFACTS=DIR to keep the files and look.
extension ReportTests {
    static let chromium = "/usr/bin/chromium"

    /// `chromium --headless …` with a profile of its own, given at most 90 s.
    func chromium(_ arguments: [String], page: String) throws -> CommandResult {
        try runCommand(
            "/usr/bin/timeout",
            [
                "90", Self.chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=\(directory)/chromium",
            ] + arguments
                + ["file://" + page])
    }

    /// Pages of a PDF as Chromium writes it: one `/Type /Page` object each.
    static func pageCount(_ pdf: Data) -> Int {
        String(decoding: pdf, as: UTF8.self).matches(of: /\/Type\s*\/Page(?![a-z])/).count
    }

    func testChromiumRendersTheReportToPNGAndPrintsItOnA4PagesWithChineseGlyphs() throws {
        try XCTSkipUnless(
            FileManager.default.isExecutableFile(atPath: Self.chromium),
            "chromium is missing: scripts/setup installs it")
        let fonts = try runCommand("/usr/bin/fc-list", [":lang=zh", "family"])
        XCTAssertFalse(fonts.stdout.isEmpty, "no CJK font: scripts/setup installs fonts-wqy-microhei")
        let span = try playTwoOutages()
        let page = directory + "/report.html"
        XCTAssertEqual(
            try cli([
                "report", "--from", Self.rfc3339(span.from), "--to", Self.rfc3339(span.to),
                "--output", page,
            ]).status, 0)
        let blank = directory + "/blank.html"
        try "<!DOCTYPE html><html><body></body></html>".write(toFile: blank, atomically: true, encoding: .utf8)

        for (source, png) in [(page, "report.png"), (blank, "blank.png")] {
            let shot = try chromium(["--screenshot=\(directory)/\(png)", "--window-size=1240,1754"], page: source)
            XCTAssertEqual(shot.status, 0, shot.stderr)
        }
        let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/report.png"))
        let empty = try Data(contentsOf: URL(fileURLWithPath: directory + "/blank.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertGreaterThan(
            png.count, 10 * empty.count, "the page is not blank (\(png.count) vs \(empty.count) bytes)")

        let print = try chromium(["--print-to-pdf=\(directory)/report.pdf", "--no-pdf-header-footer"], page: page)
        XCTAssertEqual(print.status, 0, print.stderr)
        let pdf = try Data(contentsOf: URL(fileURLWithPath: directory + "/report.pdf"))
        XCTAssertTrue(pdf.starts(with: Data("%PDF".utf8)))
        let text = String(decoding: pdf, as: UTF8.self)
        XCTAssertNotNil(
            text.firstMatch(of: /\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]/), "A4 pages (595 × 842 pt)")
        XCTAssertTrue(text.contains("WenQuanYiMicroHei"), "the Chinese text is drawn with a CJK font, not boxes")
        // The cover, then each of the four sections on pages of its own; with this much in it,
        // section 1 (two tables, two charts, the worst devices) runs onto a second page.
        let pages = Self.pageCount(pdf)
        XCTAssertEqual(pages, 6)

        // Without the page breaks the same report takes fewer pages: the breaks are what put each
        // section on a page of its own.
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let unbroken = directory + "/unbroken.html"
        try html.replacingOccurrences(of: "break-before: page; page-break-before: always;", with: "")
            .write(toFile: unbroken, atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try chromium(
                ["--print-to-pdf=\(directory)/unbroken.pdf", "--no-pdf-header-footer"],
                page: unbroken
            ).status, 0)
        let loose = Self.pageCount(try Data(contentsOf: URL(fileURLWithPath: directory + "/unbroken.pdf")))
        XCTAssertLessThan(loose, pages)

        if let keep = ProcessInfo.processInfo.environment["FLEETWATCH_REPORT_ARTIFACTS"] {
            for name in ["report.html", "report.png", "report.pdf"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + name)
                try FileManager.default.copyItem(atPath: directory + "/" + name, toPath: keep + "/" + name)
            }
        }
    }
}
