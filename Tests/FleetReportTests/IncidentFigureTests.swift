import FleetCore
import XCTest

@testable import FleetReport

/// Incidents as problems, MTTA and MTTR in wall-clock and service time.
final class IncidentFigureTests: XCTestCase {
    typealias F = ReportFixture

    /// Opened 11:50, acknowledged 13:10 (80 min; 20 min of service time), resolved 15:50 (4 h;
    /// 3 h of service time); another opened 10:00, acknowledged 10:20, never resolved.
    func testMTTAAndMTTRAreWallClockMeansWithServiceTimeAlongside() throws {
        var f = ReportFixture()
        f.incident(1, opened: "2026-11-03 11:50", acknowledged: "2026-11-03 13:10", resolved: "2026-11-03 15:50")
        f.incident(2, priority: .p1, opened: "2026-11-04 10:00", acknowledged: "2026-11-04 10:20")
        let i = f.report.incidents
        XCTAssertEqual(i.total, 2)
        XCTAssertEqual(i.byPriority, [.p1: 1, .p2: 1])
        XCTAssertEqual(i.byRule, ["offline": 2])
        XCTAssertEqual(try XCTUnwrap(i.mtta), (80 + 20) * F.minute / 2, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(i.mttaService), (20 + 20) * F.minute / 2, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(i.mttr), 4 * F.hour, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(i.mttrService), 3 * F.hour, accuracy: 1e-6)
        XCTAssertEqual(i.openAtEnd, 1)
        XCTAssertEqual(i.dailyP2[2], 1)
        XCTAssertEqual(i.dailyP1[3], 1)
    }

    /// A site outage with three device incidents inside it is one problem: one MTTA, one MTTR;
    /// the children count under it and on their devices as grouped.
    func testAnOutageWithChildrenIsOneProblem() throws {
        var f = ReportFixture()
        f.device("gate-01")
        f.incident(
            10, rule: .siteOutage, priority: .p1, scope: .site, device: nil, opened: "2026-11-05 10:00",
            acknowledged: "2026-11-05 10:05", resolved: "2026-11-05 11:00")
        for (n, device) in ["gate-01", "gate-02", "gate-03"].enumerated() {
            f.incident(
                11 + Int64(n), device: device, opened: "2026-11-05 10:00", acknowledged: "2026-11-05 10:05",
                resolved: "2026-11-05 11:00", parent: 10, announced: false)
        }
        let r = f.report
        XCTAssertEqual(r.incidents.total, 1)
        XCTAssertEqual(r.incidents.grouped, 3)
        XCTAssertEqual(r.incidents.byPriority, [.p1: 1])
        XCTAssertEqual(r.incidents.mtta, 5 * F.minute)
        XCTAssertEqual(r.handling.map(\.incident.id), [10])
        XCTAssertEqual(r.handling.first?.childDevices, ["gate-01", "gate-02", "gate-03"])
        XCTAssertEqual(r.device("gate-01")?.incidents, 0)
        XCTAssertEqual(r.device("gate-01")?.grouped, 1)
        XCTAssertEqual(r.sites.first { $0.id == "tianshan" }?.p1, 1)
    }

    /// Opened before the period and open at its start; opened in it and open at its end; one
    /// opened after the period does not count.
    func testCarriedOverAndStillOpenProblemsAreCounted() {
        var f = ReportFixture()
        f.incident(1, opened: "2026-10-28 10:00", resolved: "2026-11-02 10:00")
        f.incident(2, opened: "2026-10-20 10:00", resolved: "2026-10-21 10:00")
        f.incident(3, opened: "2026-11-29 10:00")
        f.incident(4, opened: "2026-11-29 11:00", resolved: "2026-12-02 10:00")
        let i = f.report.incidents
        XCTAssertEqual(i.total, 2)
        XCTAssertEqual(i.carriedOver, 1)
        XCTAssertEqual(i.openAtEnd, 2)
        XCTAssertEqual(i.resolved, 1, "resolved after the period still counts toward MTTR of this one")
    }

    /// Who acknowledged, dispatched, arrived and resolved, when, and what they wrote.
    func testHandlingTellsWhoDidWhatAndTheirNotes() throws {
        var f = ReportFixture()
        f.incident(
            7, priority: .p1, opened: "2026-11-06 09:10", acknowledged: "2026-11-06 09:20",
            resolved: "2026-11-06 12:30", dispatched: "2026-11-06 09:30", arrived: "2026-11-06 10:40")
        f.event(7, .open, at: "2026-11-06 09:10")
        f.event(7, .ack, at: "2026-11-06 09:20", [("by", "li.wei"), ("note", "calling the branch")])
        f.event(7, .dispatch, at: "2026-11-06 09:30", [("by", "li.wei")])
        f.event(7, .arrive, at: "2026-11-06 10:40", [("by", "zhang.min")])
        f.event(7, .note, at: "2026-11-06 11:00", [("by", "zhang.min"), ("msg", "camera cable loose")])
        f.event(7, .resolve, at: "2026-11-06 12:30", [("by", "zhang.min"), ("msg", "cable replaced")])
        let h = try XCTUnwrap(f.report.handling.first)
        XCTAssertEqual(h.acknowledgedBy, "li.wei")
        XCTAssertEqual(h.dispatchedBy, "li.wei")
        XCTAssertEqual(h.arrivedBy, "zhang.min")
        XCTAssertEqual(h.resolvedBy, "zhang.min")
        XCTAssertEqual(h.notes.map(\.text), ["calling the branch", "camera cable loose", "cable replaced"])
        XCTAssertEqual(h.outcomes[.respond], .met)
        XCTAssertEqual(h.outcomes[.onsite], .met)
    }

    /// An incident that resolved before its OPEN line (a quiet blip) is no fault: nobody was told,
    /// so it is in no count, no MTTA/MTTR and no SLA figure, and only its number is reported; the
    /// device's downtime still counts in availability.
    func testAQuietBlipIsNotAFaultButItsDowntimeCounts() throws {
        var f = ReportFixture()
        f.device("gate-01", [("2026-11-06 09:10", "offline"), ("2026-11-06 09:11", "online")])
        f.incident(8, opened: "2026-11-06 09:10", resolved: "2026-11-06 09:11", announced: false)
        f.incident(9, opened: "2026-11-07 10:00", acknowledged: "2026-11-07 10:30", resolved: "2026-11-07 11:00")
        let r = f.report
        XCTAssertEqual(r.incidents.total, 1)
        XCTAssertEqual(r.incidents.quietBlips, 1)
        XCTAssertEqual(try XCTUnwrap(r.incidents.mttr), 3600, accuracy: 1e-6)
        XCTAssertEqual(r.handling.map(\.incident.id), [9])
        XCTAssertEqual(r.sla.counts[.respond]?.met, 1)
        XCTAssertEqual(try XCTUnwrap(r.device("gate-01")?.downtime), 60, accuracy: 1e-6)
        XCTAssertEqual(r.device("gate-01")?.incidents, 1, "the blip is not one of its faults")
    }
}
