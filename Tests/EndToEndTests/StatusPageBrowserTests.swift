import Foundation
import XCTest

/// SPEC §16 in a real browser: headless Chromium renders `/` of a running daemon at phone width
/// (390 px) and wall-screen width (1920 px). The PNGs must have the asked size and hold a page,
/// not a blank or an error screen (a render of `about:blank` at the same size is the yardstick).
/// Set FLEETWATCH_SCREENSHOTS=DIR to keep them for a look: a test of the DOM cannot see missing
/// CJK glyphs (PITFALLS.md).
final class StatusPageBrowserTests: EndToEndTestCase {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    func testChromiumRendersThePageAtPhoneAndWallWidth() throws {
        guard let chromium = Self.chromium else {
            return XCTFail(
                "chromium is not installed: run scripts/setup (Debian packages chromium, fonts-wqy-microhei)")
        }
        let port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        try writeConfig(
            grace: 2, resolveAfter: 30,
            extra: """
                [sites.site01]
                name = "天山路街道图书馆"

                [sites.site02]
                name = "新华路社区阅览室"
                """)
        try startDaemon()
        try startSim([
            "--sites", "2", "--per-kind", "2", "--interval", "1", "--at", "2:kill:robot-site01-01",
            "--at", "2:health=degraded:gate-site02-02",
        ])
        XCTAssertTrue(try waitUntil(15) { try openIncidents().count == 2 })
        for (width, height) in [(390, 1600), (1920, 1080)] {
            let page = try screenshot(
                chromium, "http://127.0.0.1:\(port)/", width: width, height: height, name: "status")
            let blank = try screenshot(chromium, "about:blank", width: width, height: height, name: "blank")
            XCTAssertEqual(try pngSize(page), [width, height], "\(width) px")
            XCTAssertGreaterThan(page.count, 20_000, "\(width) px: too small to hold the page")
            XCTAssertGreaterThan(page.count, blank.count * 5, "\(width) px: hardly more than a blank render")
            if let keep = ProcessInfo.processInfo.environment["FLEETWATCH_SCREENSHOTS"] {
                try Data(page).write(to: URL(fileURLWithPath: keep).appendingPathComponent("status-\(width).png"))
            }
        }
    }

    func screenshot(_ chromium: String, _ url: String, width: Int, height: Int, name: String) throws -> [UInt8] {
        let output = directory + "/\(name)-\(width).png"
        let result = try runCommand(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(directory)/chromium-profile", "--window-size=\(width),\(height)",
                "--screenshot=\(output)", url,
            ], timeout: 90)
        guard let data = FileManager.default.contents(atPath: output) else {
            throw HarnessError(
                "chromium wrote no screenshot of \(url) (exit \(result.status)): \(result.stderr.suffix(2000))")
        }
        return [UInt8](data)
    }

    /// Width and height from the PNG's IHDR chunk (bytes 16–23), after checking the signature.
    func pngSize(_ png: [UInt8]) throws -> [Int] {
        guard png.count > 24, png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            png[12..<16] == [0x49, 0x48, 0x44, 0x52]
        else { throw HarnessError("not a PNG") }
        func big(_ at: Int) -> Int { png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return [big(16), big(20)]
    }
}
