import XCTest

@testable import FleetCore

/// SLA-WARNING (SPEC §14): `warn_before_s` before a running deadline, in the deadline's own time
/// (service time for respond_by and a P1's onsite_by), once per deadline.
final class SLAWarningTests: XCTestCase {
    private let format = TimeFormat(zoneIdentifier: "Asia/Shanghai")

    private func time(_ text: String) throws -> Double { try XCTUnwrap(RFC3339.parse(text)) }
    private func text(_ t: Double?) -> String? { t.map { format.format($0) } }

    private func clocks(warn: Double = 1800) -> SLAClocks {
        var sla = SLASettings()
        sla.warnBeforeSeconds = warn
        return SLAClocks(sla, localTime: LocalTime(sla))
    }

    private func incident(respondBy: Double?, opened: Double, status: IncidentStatus = .open) -> Incident {
        Incident(
            id: 7, priority: .p2, status: status, rule: .offline, scope: .device, site: "tianshan",
            kind: "delivery-robot", device: "robot-01", openedAt: opened, respondBy: respondBy, summary: "x",
            announced: true)
    }

    /// Every warning due at `t` (wall), judged against `incident` as it stands.
    private func due(_ clocks: inout SLAClocks, _ incident: Incident, at t: Double) -> [AlertEvent] {
        var events: [AlertEvent] = []
        var current = incident
        while let entry = clocks.nextDueWarning(at: Moment(monotonic: 0, wall: t)) {
            if let (changed, event) = clocks.warning(entry, of: current, at: Moment(monotonic: 0, wall: t)) {
                current = changed
                events.append(event)
            }
        }
        return events
    }

    // MARK: the moment, in service time

    func testTheWarningOfADeadlineInsideARangeIsWarnBeforeItsEnd() throws {
        let calendar = ServiceCalendar(SLASettings())
        XCTAssertEqual(
            text(calendar.subtracting(serviceSeconds: 1800, from: try time("2026-11-26T12:00:00+08:00"))),
            "2026-11-26T11:30:00+08:00")
    }

    func testTheLunchBreakDoesNotCount() throws {
        let calendar = ServiceCalendar(SLASettings())
        let due = try time("2026-11-26T13:15:00+08:00")
        // 15 min after 13:00 and 15 min before 12:00: 11:45, not 12:45 (lunch is not service time).
        XCTAssertEqual(text(calendar.subtracting(serviceSeconds: 1800, from: due)), "2026-11-26T11:45:00+08:00")
        // Exactly 15 min left from 12:00 on (the break does not count): the earliest such moment.
        XCTAssertEqual(text(calendar.subtracting(serviceSeconds: 900, from: due)), "2026-11-26T12:00:00+08:00")
    }

    func testAMorningDeadlineIsWarnedOfTheEveningBefore() throws {
        let calendar = ServiceCalendar(SLASettings())
        let due = try time("2026-11-27T09:20:00+08:00")
        XCTAssertEqual(text(calendar.subtracting(serviceSeconds: 1800, from: due)), "2026-11-26T21:50:00+08:00")
        // And the inverse: 30 min of service time after 21:50 is 09:20 the next day.
        XCTAssertEqual(
            text(calendar.adding(serviceSeconds: 1800, to: try time("2026-11-26T21:50:00+08:00"))),
            "2026-11-27T09:20:00+08:00")
    }

    func testAHolidayIsSkippedBackwardsToo() throws {
        var sla = SLASettings()
        sla.holidays = ["2026-11-27"]
        let calendar = ServiceCalendar(sla)
        XCTAssertEqual(
            text(calendar.subtracting(serviceSeconds: 1800, from: try time("2026-11-28T09:10:00+08:00"))),
            "2026-11-26T21:40:00+08:00")
    }

    // MARK: the warning

    func testAnOpenIncidentIsWarnedOnceWhenItsRespondByIsWarnBeforeAway() throws {
        var clocks = clocks()
        // Opened 21:30 → respond_by 10:30 next day; 30 min of service time before: 10:00.
        let opened = try time("2026-11-26T21:30:00+08:00")
        let respondBy = try XCTUnwrap(clocks.respondBy(openedAt: opened))
        let open = incident(respondBy: respondBy, opened: opened)
        clocks.scheduleWarnings(for: open)
        XCTAssertEqual(due(&clocks, open, at: try time("2026-11-27T09:59:59+08:00")), [])
        let events = due(&clocks, open, at: try time("2026-11-27T10:00:00+08:00"))
        XCTAssertEqual(events.map(\.kind), [.slaWarning])
        XCTAssertEqual(events.first?.field("sla"), "respond")
        XCTAssertEqual(events.first?.field("due"), "2026-11-27T10:30:00+08:00")
        XCTAssertEqual(events.first?.field("msg"), "not acknowledged; respond_by in 1800s of service time")
        XCTAssertEqual(due(&clocks, open, at: try time("2026-11-27T10:10:00+08:00")), [], "once per deadline")
    }

    func testAWarnedOrAcknowledgedIncidentIsNotWarned() throws {
        var clocks = clocks()
        let opened = try time("2026-11-26T10:00:00+08:00")
        var warned = incident(respondBy: try time("2026-11-26T12:00:00+08:00"), opened: opened)
        warned.respondWarned = true  // restored after a restart with its line written
        clocks.scheduleWarnings(for: warned)
        XCTAssertEqual(due(&clocks, warned, at: try time("2026-11-26T11:45:00+08:00")), [])

        let open = incident(respondBy: try time("2026-11-26T12:00:00+08:00"), opened: opened)
        clocks.scheduleWarnings(for: open)
        var acknowledged = open
        acknowledged.status = .acknowledged
        XCTAssertEqual(due(&clocks, acknowledged, at: try time("2026-11-26T11:45:00+08:00")), [])
    }

    func testAPassedDeadlineIsNotWarnedOfButBreached() throws {
        var clocks = clocks()
        let open = incident(
            respondBy: try time("2026-11-26T12:00:00+08:00"), opened: try time("2026-11-26T10:00:00+08:00"))
        clocks.scheduleWarnings(for: open)
        XCTAssertEqual(due(&clocks, open, at: try time("2026-11-26T12:00:00+08:00")), [])
    }

    func testAP2OnsiteDeadlineIsWarnedOfInWallClockTimeAndAP1OneInServiceTime() throws {
        var clocks = clocks()
        let dispatched = try time("2026-11-26T20:00:00+08:00")
        var p2 = incident(respondBy: nil, opened: dispatched, status: .acknowledged)
        p2.dispatchedAt = dispatched
        p2.onsiteBy = clocks.onsiteBy(.p2, dispatchedAt: dispatched)  // 20:00 next day
        clocks.scheduleWarnings(for: p2)
        XCTAssertEqual(due(&clocks, p2, at: try time("2026-11-27T19:29:59+08:00")), [])
        let p2Events = due(&clocks, p2, at: try time("2026-11-27T19:30:00+08:00"))
        XCTAssertEqual(p2Events.map { $0.field("sla") }, ["onsite"])
        XCTAssertEqual(p2Events.first?.field("msg"), "no engineer on site yet; onsite_by in 1800s")

        var p1 = p2
        p1.priority = .p1
        p1.onsiteBy = clocks.onsiteBy(.p1, dispatchedAt: dispatched)  // 4 h of service: 11:00 next day
        clocks.scheduleWarnings(for: p1)
        XCTAssertEqual(due(&clocks, p1, at: try time("2026-11-27T10:29:59+08:00")), [])
        XCTAssertEqual(
            due(&clocks, p1, at: try time("2026-11-27T10:30:00+08:00")).map { $0.field("due") },
            ["2026-11-27T11:00:00+08:00"])
    }

    func testAnArrivalStopsTheOnsiteWarning() throws {
        var clocks = clocks()
        let dispatched = try time("2026-11-26T10:00:00+08:00")
        var incident = incident(respondBy: nil, opened: dispatched, status: .acknowledged)
        incident.onsiteBy = dispatched + 3600
        clocks.scheduleWarnings(for: incident)
        incident.arrivedAt = dispatched + 60
        XCTAssertEqual(due(&clocks, incident, at: dispatched + 3000), [])
    }

    func testZeroTurnsWarningsOffAndUnannouncedIncidentsAreNotWarned() throws {
        var off = clocks(warn: 0)
        let open = incident(
            respondBy: try time("2026-11-26T12:00:00+08:00"), opened: try time("2026-11-26T10:00:00+08:00"))
        off.scheduleWarnings(for: open)
        XCTAssertEqual(due(&off, open, at: try time("2026-11-26T11:59:00+08:00")), [])

        var on = clocks()
        var quiet = open
        quiet.announced = false
        on.scheduleWarnings(for: quiet)
        XCTAssertEqual(due(&on, quiet, at: try time("2026-11-26T11:59:00+08:00")), [])
    }

    func testTheRepairClocksAreWarnedOfInWallClockTime() throws {
        var clocks = clocks()
        let opened = try time("2026-11-26T21:30:00+08:00")
        var incident = incident(respondBy: nil, opened: opened, status: .acknowledged)
        incident.resolveBy = clocks.resolveBy(openedAt: opened)  // 3 days later, 21:30
        clocks.scheduleWarnings(for: incident)
        XCTAssertEqual(due(&clocks, incident, at: try time("2026-11-29T20:59:59+08:00")), [])
        XCTAssertEqual(
            due(&clocks, incident, at: try time("2026-11-29T21:00:00+08:00")).map { $0.field("sla") }, ["resolve"])

        var parts = incident
        parts.partsAt = opened + 60  // a major part: the repair clock stops, a plan is due
        parts.resolveBy = nil
        parts.planBy = clocks.planBy(openedAt: opened)  // 2 days later
        clocks.scheduleWarnings(for: parts)
        XCTAssertEqual(
            due(&clocks, parts, at: try time("2026-11-28T21:00:00+08:00")).map { $0.field("msg") },
            ["no plan for the major part yet; plan_by in 1800s"])
        var planned = parts
        planned.planWarned = false
        planned.plannedAt = opened + 120
        clocks.scheduleWarnings(for: planned)
        XCTAssertEqual(due(&clocks, planned, at: try time("2026-11-28T21:10:00+08:00")), [], "a plan stops it")
    }
}
