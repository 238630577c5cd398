import Foundation
import XCTest

/// Issue 20 through the broker: the incidents table shows one row per problem, and an operator
/// resolving an outage whose devices are still down gets no burst of child lines.
extension ScenarioTests {
    func testASiteOutageIsOneRowInTheTableEveryRowWithFlatAndEveryIncidentInJSON() throws {
        XCTAssertEqual(summarize(try play("site-outage")), ["OPEN P1 rule=site-outage site=site01"])
        let all = try incidents()
        let parent = try XCTUnwrap(all.first { $0["rule"] as? String == "site-outage" })
        let parentID = try XCTUnwrap(parent["id"] as? String)
        let children = all.filter { $0["parent"] as? String == parentID }
        XCTAssertEqual(children.count, 11, "8 offline devices and 3 core-down")
        XCTAssertEqual(all.count, children.count + 1)

        let rows = try cli(["incidents"]).stdout.split(separator: "\n").dropFirst()  // header first
        XCTAssertEqual(rows.count, 1, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.first?.hasPrefix(parentID) == true)
        XCTAssertTrue(rows.first?.contains("+11") == true, String(rows.first ?? ""))
        let flat = try cli(["incidents", "--flat"]).stdout.split(separator: "\n").dropFirst()
        XCTAssertEqual(flat.count, all.count)
        XCTAssertEqual(flat.filter { $0.contains(parentID) }.count, 12, "the parent's row, and its id on each child's")
    }

    func testResolvingASiteOutageWhileItsDevicesAreDownWritesOneResolveAndOneNewOpen() throws {
        try writeScenarioConfig()
        try startDaemon()
        let site01 = ["robot", "locker", "kiosk", "gate"].flatMap { kind in (1...2).map { "\(kind)-site01-0\($0)" } }
        try startSim([
            "--sites", "3", "--per-kind", "2", "--interval", "0.5",
            "--at", "3:kill:" + site01.joined(separator: ","),
        ])
        XCTAssertTrue(waitUntil(20) { alertLines(event: "OPEN").count == 1 }, alertLines().joined(separator: "\n"))
        let outage = try XCTUnwrap(try incidents().first { $0["rule"] as? String == "site-outage" })
        let id = try XCTUnwrap(outage["id"] as? String)
        let resolve = try cli(["resolve", id, "--by", "li.wei", "--note", "power company informed"])
        XCTAssertEqual(resolve.status, 0, resolve.stderr)
        // The devices are still down: after group_wait_s (1 s) one new P1 opens for them, no more.
        XCTAssertTrue(waitUntil(10) { alertLines(event: "OPEN").count == 2 })
        Thread.sleep(forTimeInterval: 3)  // past group_wait_s and resolve_after_s: nothing else may follow
        XCTAssertEqual(
            summarize(try alerts()),
            [
                "OPEN P1 rule=site-outage site=site01",
                "RESOLVE P1 rule=site-outage site=site01",
                "OPEN P1 rule=site-outage site=site01",
            ])
        let reopened = try XCTUnwrap(
            try incidents().first { $0["parent"] is NSNull && $0["rule"] as? String == "site-outage" })
        XCTAssertNotEqual(reopened["id"] as? String, id)
        let old = try XCTUnwrap(try cliJSON(["incident", id]) as? [String: Any])
        XCTAssertTrue(
            ((old["children"] as? [[String: Any]]) ?? []).allSatisfy { $0["status"] as? String == "resolved" })
    }
}
