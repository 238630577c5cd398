import XCTest

@testable import FleetCore

final class SLAClocksTests: XCTestCase {
    private let clocks = SLAClocks(SLASettings(), localTime: LocalTime(SLASettings()))
    private let format = TimeFormat(zoneIdentifier: "Asia/Shanghai")

    func testRespondByCountsServiceTimeOnly() throws {
        // 21:30 → service resumes 09:00 next day; 2 h of service time later: 10:30 (SPEC §6).
        let opened = try XCTUnwrap(RFC3339.parse("2026-11-26T21:30:00+08:00"))
        XCTAssertEqual(clocks.respondBy(openedAt: opened).map { format.format($0) }, "2026-11-27T10:30:00+08:00")
        let morning = try XCTUnwrap(RFC3339.parse("2026-11-26T10:00:00+08:00"))
        XCTAssertEqual(clocks.respondBy(openedAt: morning).map { format.format($0) }, "2026-11-26T12:00:00+08:00")
    }

    func testOnsiteIsServiceTimeForP1AndWallClockForP2() throws {
        let dispatched = try XCTUnwrap(RFC3339.parse("2026-11-26T20:00:00+08:00"))
        XCTAssertEqual(
            clocks.onsiteBy(.p1, dispatchedAt: dispatched).map { format.format($0) }, "2026-11-27T11:00:00+08:00")
        XCTAssertEqual(
            clocks.onsiteBy(.p2, dispatchedAt: dispatched).map { format.format($0) }, "2026-11-27T20:00:00+08:00")
    }

    func testAMissedDeadlineIsBreachedOnceAndOnlyWhenAnnounced() {
        var incident = Incident(
            id: 1, priority: .p2, rule: .offline, scope: .device, openedAt: at(0).wall,
            respondBy: at(100).wall, summary: "x", announced: false)
        XCTAssertTrue(clocks.breaches(of: incident, at: at(200)).1.isEmpty, "not announced: no breach")
        incident.announced = true
        XCTAssertTrue(clocks.breaches(of: incident, at: at(99)).1.isEmpty)
        let (breached, events) = clocks.breaches(of: incident, at: at(100))
        XCTAssertEqual(events.map { $0.field("sla") }, ["respond"])
        XCTAssertTrue(clocks.breaches(of: breached, at: at(500)).1.isEmpty)
    }

    func testAnAcknowledgedIncidentDoesNotBreachRespondButAMissedArrivalBreachesOnsite() {
        var incident = Incident(
            id: 1, priority: .p2, status: .acknowledged, rule: .offline, scope: .device,
            openedAt: at(0).wall, respondBy: at(100).wall, onsiteBy: at(150).wall, summary: "x",
            announced: true)
        XCTAssertEqual(clocks.breaches(of: incident, at: at(200)).1.map { $0.field("sla") }, ["onsite"])
        incident.arrivedAt = at(140).wall
        XCTAssertTrue(clocks.breaches(of: incident, at: at(200)).1.isEmpty)
    }
}
