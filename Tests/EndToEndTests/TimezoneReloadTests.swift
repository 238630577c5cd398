import Foundation
import XCTest

/// `sla.timezone` changed by SIGHUP: every time the daemon prints afterwards is in the new zone,
/// the alert line's own timestamp as well as its `respond_by` (one owner of local time, SPEC §4, §7).
final class TimezoneReloadTests: EndToEndTestCase {
    private func inventory(_ ids: [String]) -> String {
        ids.map { "[[devices]]\nid = \"\($0)\"\nsite = \"tianshan\"\nkind = \"pickup-locker\"\n" }.joined(
            separator: "\n")
    }

    private func sla(_ zone: String) -> String {
        "[sla]\ntimezone = \"\(zone)\"\nservice_hours = [\"00:00-24:00\"]\n"
    }

    /// The UTC offsets of an OPEN line: its timestamp's and its respond_by's.
    private func offsets(of line: String) throws -> (line: String, respondBy: String) {
        let timestamp = String(line.prefix { $0 != " " })
        let respondBy = try XCTUnwrap(line.split(separator: " ").first { $0.hasPrefix("respond_by=") }, line)
        return (String(timestamp.suffix(6)), String(respondBy.suffix(6)))
    }

    func testAReloadedTimezoneIsUsedForLineTimestampsAndRespondBy() throws {
        // Inventory lockers never heard: each opens `offline` once the startup grace (or, for one
        // added by the reload, its 1 s timeout) is over.
        let lockers = ["pickup-locker": "interval_s = 0.5\nmissed = 2"]
        try writeConfig(grace: 1, kinds: lockers, extra: sla("Asia/Shanghai") + inventory(["locker-before"]))
        let d = try startDaemon()
        XCTAssertTrue(waitUntil(10) { self.alertLines(event: "OPEN").count == 1 })
        let before = try offsets(of: alertLines(event: "OPEN")[0])
        XCTAssertEqual(before.line, "+08:00")
        XCTAssertEqual(before.respondBy, "+08:00")

        try writeConfig(
            grace: 1, kinds: lockers, extra: sla("Asia/Kolkata") + inventory(["locker-before", "locker-after"]))
        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil(5) { d.log.contains("configuration reloaded") }, d.log)
        // The second locker going offline opens a new incident (its own, or with the first one a
        // site outage that takes both in): the first line opened after the reload is looked at.
        XCTAssertTrue(waitUntil(10) { self.alertLines(event: "OPEN").count > 1 })
        let after = try offsets(of: alertLines(event: "OPEN")[1])
        XCTAssertEqual(after.respondBy, "+05:30")
        XCTAssertEqual(after.line, "+05:30", "the alert log kept the zone it was started with")
    }
}
