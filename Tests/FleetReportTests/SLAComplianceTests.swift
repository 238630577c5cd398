import FleetCore
import XCTest

@testable import FleetReport

/// SPEC §13's SLA counting: breached by an SLA-BREACH event, else met when done by the deadline.
final class SLAComplianceTests: XCTestCase {
    typealias F = ReportFixture

    /// Opened 10:00 (respond_by 12:00), acknowledged 12:30: the daemon wrote SLA-BREACH at 12:00.
    func testAnIncidentAcknowledgedAfterItsRespondByIsBreached() throws {
        var f = ReportFixture()
        let i = f.incident(1, opened: "2026-11-03 10:00", acknowledged: "2026-11-03 12:30")
        XCTAssertEqual(i.respondBy, F.at("2026-11-03 12:00"))
        f.event(1, .slaBreach, at: "2026-11-03 12:00", [("sla", "respond")])
        f.event(1, .ack, at: "2026-11-03 12:30", [("by", "li.wei")])
        let r = f.report
        XCTAssertEqual(r.sla.counts[.respond], SLACount(met: 0, breached: 1, pending: 0))
        XCTAssertEqual(r.sla.counts[.respond]?.compliance, 0)
        XCTAssertEqual(r.sla.breached[.respond]?.map(\.id), [1])
    }

    /// Without the breach event (the daemon was stopped at the deadline) a late acknowledgement
    /// is still not met: it is pending, neither met nor breached.
    func testALateAcknowledgementWithoutABreachEventIsNotMet() {
        var f = ReportFixture()
        f.incident(1, opened: "2026-11-03 10:00", acknowledged: "2026-11-03 12:30")
        XCTAssertEqual(f.report.sla.counts[.respond], SLACount(met: 0, breached: 0, pending: 1))
        XCTAssertNil(f.report.sla.counts[.respond]?.compliance)
    }

    /// Never acknowledged, but resolved at 11:00, before respond_by 12:00: met.
    func testAnSLAIsMetByResolutionBeforeRespondBy() {
        var f = ReportFixture()
        f.incident(1, opened: "2026-11-03 10:00", resolved: "2026-11-03 11:00")
        XCTAssertEqual(f.report.sla.counts[.respond], SLACount(met: 1, breached: 0, pending: 0))
        XCTAssertEqual(f.report.sla.counts[.respond]?.compliance, 1)
    }

    /// Opened at 21:30 (respond_by 10:30 next day) and acknowledged at 09:05: met, by service time.
    func testRespondByCountsServiceTimeOvernight() {
        var f = ReportFixture()
        let i = f.incident(1, opened: "2026-11-03 21:30", acknowledged: "2026-11-04 09:05")
        XCTAssertEqual(i.respondBy, F.at("2026-11-04 10:30"))
        XCTAssertEqual(f.report.sla.counts[.respond]?.met, 1)
        XCTAssertTrue(f.report.sla.nearMisses.isEmpty, "1 h 25 min of 2 h left")
    }

    /// One met and one breached: compliance 0.5 (the end-to-end scenario's figure).
    func testComplianceIsMetOverMetAndBreached() {
        var f = ReportFixture()
        f.incident(1, opened: "2026-11-03 10:00", acknowledged: "2026-11-03 10:01")
        f.incident(2, opened: "2026-11-03 14:00", acknowledged: "2026-11-03 16:30")
        f.event(2, .slaBreach, at: "2026-11-03 16:00", [("sla", "respond")])
        XCTAssertEqual(f.report.sla.counts[.respond]?.compliance, 0.5)
    }

    /// Only deadlines inside the period count: respond_by on 1 December belongs to December.
    func testADeadlineOutsideThePeriodIsNotCounted() {
        var f = ReportFixture()
        f.incident(1, opened: "2026-11-30 21:30", acknowledged: "2026-12-01 09:05")  // respond_by 12-01 10:30
        f.incident(2, opened: "2026-10-31 21:30", acknowledged: "2026-11-01 09:10")  // respond_by 11-01 10:30
        let r = f.report
        XCTAssertEqual(r.sla.counts[.respond], SLACount(met: 1, breached: 0, pending: 0))
        XCTAssertEqual(r.incidents.total, 1, "opened in the period")
    }

    /// On-site: a P1 dispatched at 10:00 is due by 14:00 plus the lunch hour (15:00); a P2
    /// dispatched at 10:00 by 10:00 the next day. Arrival or resolution by then meets it.
    func testOnsiteIsMetByArrivalOrResolutionAndBreachedByItsEvent() {
        var f = ReportFixture()
        let p1 = f.incident(
            1, priority: .p1, opened: "2026-11-03 09:50", acknowledged: "2026-11-03 09:55",
            dispatched: "2026-11-03 10:00", arrived: "2026-11-03 14:30")
        XCTAssertEqual(p1.onsiteBy, F.at("2026-11-03 15:00"))
        f.incident(
            2, opened: "2026-11-03 09:50", acknowledged: "2026-11-03 09:55", resolved: "2026-11-03 18:00",
            dispatched: "2026-11-03 10:00")
        f.incident(
            3, opened: "2026-11-03 09:50", acknowledged: "2026-11-03 09:55", dispatched: "2026-11-03 10:00",
            arrived: "2026-11-04 11:00")
        f.event(3, .slaBreach, at: "2026-11-04 10:00", [("sla", "onsite")])
        let r = f.report
        XCTAssertEqual(r.sla.counts[.onsite], SLACount(met: 2, breached: 1, pending: 0))
        XCTAssertEqual(try XCTUnwrap(r.sla.counts[.onsite]?.compliance), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(r.sla.nearMisses.map(\.incident.id), [1], "arrived with 30 of 240 service minutes left")
        XCTAssertEqual(r.sla.counts[.respond]?.met, 3)
    }

    /// Children of an outage have no SLA of their own: the outage's is the one that counts.
    func testChildrenDoNotCountTowardCompliance() {
        var f = ReportFixture()
        f.incident(
            10, rule: .siteOutage, priority: .p1, scope: .site, device: nil, opened: "2026-11-05 10:00",
            acknowledged: "2026-11-05 10:05")
        f.incident(11, opened: "2026-11-05 10:00", resolved: "2026-11-05 10:30", parent: 10, announced: false)
        XCTAssertEqual(f.report.sla.counts[.respond], SLACount(met: 1, breached: 0, pending: 0))
    }

    /// The repair clock (SPEC §6): resolved within its resolve_by meets it; SLA-BREACH
    /// sla=resolve breaches it, even after a major part cleared resolve_by; a plan recorded by
    /// plan_by meets the plan clock.
    func testTheRepairClockCountsResolveAndPlan() throws {
        var f = ReportFixture()
        var quick = f.incident(
            1, opened: "2026-11-03 10:00", acknowledged: "2026-11-03 10:05", resolved: "2026-11-04 10:00")
        quick.resolveBy = quick.openedAt + 3 * 86400
        var late = f.incident(2, opened: "2026-11-03 10:00", acknowledged: "2026-11-03 10:05")
        late.partsAt = F.at("2026-11-07 09:00")  // after the breach: resolve_by is cleared
        late.planBy = late.openedAt + 2 * 86400
        late.plannedAt = F.at("2026-11-04 16:00")
        f.incidents = [quick, late]
        f.event(2, .slaBreach, at: "2026-11-06 10:00", [("sla", "resolve"), ("due", "2026-11-06T10:00:00+08:00")])
        f.event(2, .parts, at: "2026-11-07 09:00", [("by", "li.wei")])
        f.event(2, .plan, at: "2026-11-04 16:00", [("by", "li.wei"), ("msg", "new gate motor on order")])
        let r = f.report
        XCTAssertEqual(r.sla.counts[.resolve], SLACount(met: 1, breached: 1, pending: 0))
        XCTAssertEqual(r.sla.counts[.plan], SLACount(met: 1, breached: 0, pending: 0))
        let h = try XCTUnwrap(r.handling.first { $0.incident.id == 2 })
        XCTAssertEqual(h.partsBy, "li.wei")
        XCTAssertEqual(h.plannedBy, "li.wei")
        XCTAssertTrue(h.notes.contains { $0.text == "new gate motor on order" })
        XCTAssertEqual(h.outcomes[.resolve], .breached)
        XCTAssertTrue(
            r.recommendations.contains { $0.text.hasPrefix("1 fault was not repaired within the repair time") })
    }

    /// In a report of one site, a device incident under a fleet outage (not read: it has no
    /// site) is a problem of its own, as `fleetwatch incidents` shows it.
    func testAChildWhoseOutageIsNotInTheReportIsAProblemOfItsOwn() {
        var f = ReportFixture()
        f.incident(
            11, opened: "2026-11-05 10:00", acknowledged: "2026-11-05 10:05", resolved: "2026-11-05 10:30",
            parent: 10, announced: false)
        let r = f.report
        XCTAssertEqual(r.incidents.total, 1)
        XCTAssertEqual(r.sla.counts[.respond]?.met, 1)
    }

    func testNoDeadlinesMeansNoCompliance() {
        let r = ReportFixture().report
        for clock in SLAClock.allCases { XCTAssertNil(r.sla.counts[clock]?.compliance) }
    }
}
