import FleetCore
import XCTest

@testable import FleetViews

/// How sites are laid out for large fleets: attention first and open, healthy ones collapsed
/// once the fleet is large, tiles within the budget with the devices that need attention first.
final class SiteLayoutTests: XCTestCase {
    func site(_ id: String, devices: Int, offline: Int = 0) -> StatusPageSnapshot.Site {
        let records = (0..<devices).map { i in
            DeviceRecord(
                id: "\(id)-\(i)", site: id, kind: "face-gate", inventory: true,
                state: i < offline ? .offline : .online, stateSince: 0)
        }
        return StatusPageSnapshot.Site(id: id, name: nil, devices: records)
    }

    func testASmallFleetShowsEverySiteOpenWithAllItsTiles() {
        let layout = SiteLayout([site("a", devices: 10), site("b", devices: 10, offline: 1)], focused: false)
        XCTAssertEqual(layout.entries.map(\.site.id), ["b", "a"], "the site needing attention first")
        XCTAssertEqual(layout.entries.map(\.collapsed), [false, false])
        XCTAssertEqual(layout.entries.map(\.tiles), [.all, .all])
    }

    func testALargeFleetCollapsesHealthySitesAndKeepsTheirTilesWithinTheBudget() {
        let sites = (0..<50).map { site(String(format: "s%02d", $0), devices: 200, offline: $0 == 7 ? 3 : 0) }
        let layout = SiteLayout(sites, focused: false)
        XCTAssertEqual(layout.entries.first?.site.id, "s07")
        XCTAssertEqual(layout.entries.first?.collapsed, false)
        XCTAssertEqual(
            layout.entries.first?.tiles, .attentionFirst(shown: 3, hidden: 0, fineTiles: true),
            "its three offline devices first, its 197 working ones folded")
        XCTAssertTrue(
            layout.entries.dropFirst().allSatisfy { $0.collapsed && $0.tiles == .none },
            "49 × 200 healthy devices exceed the budget: all of them show counts and a link")
    }

    func testAHugeSiteInTroubleShowsItsDevicesNeedingAttentionFirst() {
        let layout = SiteLayout([site("big", devices: 5000, offline: 40), site("ok", devices: 100)], focused: false)
        XCTAssertEqual(
            layout.entries[0].tiles, .attentionFirst(shown: 40, hidden: 0, fineTiles: false),
            "4,960 working devices exceed the budget: counted, with a link")
        XCTAssertEqual(layout.entries[1].tiles, .all, "what is left of the budget")
        XCTAssertTrue(layout.entries[1].collapsed)
        let focused = SiteLayout([site("big", devices: 5000, offline: 40)], focused: true)
        XCTAssertEqual(
            focused.entries[0].tiles, .attentionFirst(shown: 40, hidden: 0, fineTiles: true),
            "a site's own page has every device: problems first, the working ones folded")
        XCTAssertFalse(focused.entries[0].collapsed)
    }

    func testASmallSiteKeepsItsDevicesInIdOrderAndALargerOneShowsItsProblemsFirst() {
        let layout = SiteLayout(
            [site("small", devices: 48, offline: 1), site("larger", devices: 49, offline: 1)],
            focused: false)
        XCTAssertEqual(layout.entries.map(\.tiles), [.all, .attentionFirst(shown: 1, hidden: 0, fineTiles: true)])
    }

    func testAnOutageBiggerThanTheBudgetStillNamesEveryCountedDevice() {
        let layout = SiteLayout(
            [site("a", devices: 2500, offline: 2500), site("b", devices: 2500, offline: 2500)],
            focused: false)
        XCTAssertEqual(
            layout.entries.map(\.tiles),
            [
                .attentionFirst(shown: 2500, hidden: 0, fineTiles: false),
                .attentionFirst(shown: 500, hidden: 2000, fineTiles: false),
            ])
    }
}
