import XCTest

@testable import FleetCore

final class IncidentBookTests: XCTestCase {
    private func book(groupWait: Double = 0, resolveAfter: Double = 30, repeatFailures: Int = 3) -> IncidentBook {
        var config = Configuration()
        config.escalation.groupWaitSeconds = groupWait
        config.detection.resolveAfterSeconds = resolveAfter
        config.escalation.repeatFailures = repeatFailures
        return IncidentBook(
            restored: RestoredState(), policy: IncidentPolicy(config),
            clocks: SLAClocks(config.sla, localTime: LocalTime(config.sla)), at: at(0))
    }

    private func offline(_ id: String = "robot-01", site: String = "tianshan") -> Problem {
        .device(.offline, .p2, robotRecord(id, site: site), summary: "no heartbeat")
    }

    private let siteOutage = Problem(
        rule: .siteOutage, priority: .p1, scope: .site, site: "tianshan",
        summary: "2 of 3 devices at tianshan offline")

    func testAProblemOpensOneIncidentAndReassertingItChangesNothing() {
        var b = book()
        XCTAssertEqual(b.raise(offline(), flapping: false, at: at(1)).lines, ["OPEN P2 offline #1"])
        XCTAssertEqual(b.raise(offline(), flapping: false, at: at(2)), [])
        XCTAssertEqual(b.unresolved.count, 1)
    }

    func testARelapseBeforeResolveIsAnUpdateAndAClearResolvesAfterTheDelay() {
        var b = book(repeatFailures: 10)  // a relapse is a failure too: keep repeated-failure out of it
        _ = b.raise(offline(), flapping: false, at: at(1))
        b.clear(offline().key, at: at(10))
        XCTAssertEqual(b.raise(offline(), flapping: false, at: at(20)).lines, ["UPDATE P2 offline #1"])
        b.clear(offline().key, at: at(30))
        XCTAssertEqual(b.resolveCleared(at: at(59.9)), [])
        XCTAssertEqual(b.resolveCleared(at: at(60)).lines, ["RESOLVE P2 offline #1"])
        XCTAssertTrue(b.unresolved.isEmpty)
        XCTAssertEqual(b.raise(offline(), flapping: false, at: at(61)).lines, ["OPEN P2 offline #2"])
    }

    func testTheThirdFailureInTheWindowOpensAsRepeatedFailure() {
        var b = book(resolveAfter: 0)
        for t in [1.0, 2] {
            _ = b.raise(offline(), flapping: false, at: at(t))
            b.clear(offline().key, at: at(t))
            _ = b.resolveCleared(at: at(t))
        }
        XCTAssertEqual(b.raise(offline(), flapping: false, at: at(3)).lines, ["OPEN P1 repeated-failure #3"])
    }

    func testAnIncidentWaitsForGroupWaitAndAnOutageTakesItInWithoutALine() {
        var b = book(groupWait: 10)
        XCTAssertEqual(b.raise(offline("a"), flapping: false, at: at(0)).lines, [])
        XCTAssertEqual(b.raise(siteOutage, flapping: false, at: at(5)).lines, [])
        let due = b.announceDue(at: at(15))
        XCTAssertEqual(due.lines, ["OPEN P1 site-outage #2"])
        XCTAssertEqual(b.incident(offline("a").key)?.parent, 2)
    }

    func testWhenAnOutageResolvesItsChildrenStillDownStandAloneAndAreAnnounced() {
        var b = book(groupWait: 10, resolveAfter: 0)
        _ = b.raise(siteOutage, flapping: false, at: at(0))
        _ = b.raise(offline("a"), flapping: false, at: at(1))
        _ = b.announceDue(at: at(20))
        XCTAssertEqual(b.incident(offline("a").key)?.parent, 1)
        b.clear(siteOutage.key, at: at(30))
        XCTAssertEqual(b.resolveCleared(at: at(30)).lines, ["RESOLVE P1 site-outage #1", "OPEN P2 offline #2"])
        XCTAssertNil(b.incident(offline("a").key)?.parent)
    }

    func testAFlappingDeviceKeepsItsIncidentOpenAndOpensNoOther() {
        var b = book(resolveAfter: 0)
        _ = b.raise(offline(), flapping: false, at: at(0))
        XCTAssertEqual(b.markFlapping(device: "robot-01", at: at(1)).lines, ["FLAPPING P2 offline #1"])
        b.clear(offline().key, at: at(2))
        XCTAssertEqual(b.resolveCleared(at: at(100)), [], "flapping: stays open")
        let fault = Problem.device(.fault, .p2, robotRecord(), summary: "fault")
        XCTAssertEqual(b.raise(fault, flapping: true, at: at(3)), [])
        XCTAssertEqual(b.unmarkFlapping(device: "robot-01").count, 1)
        XCTAssertEqual(b.resolveCleared(at: at(101)).lines, ["RESOLVE P2 offline #1"])
    }

    func testAcknowledgingTwiceIsRefusedAndDispatchStartsTheOnsiteClock() throws {
        var b = book()
        _ = b.raise(offline(), flapping: false, at: at(0))
        XCTAssertEqual(try b.acknowledge(1, by: "li", note: nil, at: at(1)).get().lines, ["ACK P2 offline #1"])
        XCTAssertEqual(
            b.acknowledge(1, by: "li", note: nil, at: at(2)).failureText, "INC-000001 is already acknowledged")
        _ = try b.dispatch(1, by: "li", at: at(3)).get()
        XCTAssertEqual(b.incident(offline().key)?.onsiteBy, at(3 + 86400).wall)
        XCTAssertEqual(
            b.arrive(9, by: "li", at: at(4)).failureText,
            "no open incident INC-000009 (resolved incidents cannot be changed; see fleetwatch incidents --all)")
    }

    func testAnOperatorResolvingAnUnannouncedIncidentWritesItsOpenFirst() throws {
        var b = book(groupWait: 10)
        _ = b.raise(offline(), flapping: false, at: at(0))
        XCTAssertEqual(
            try b.resolveByOperator(1, by: "li", note: nil, at: at(1)).get().effects.lines,
            ["OPEN P2 offline #1", "RESOLVE P2 offline #1"])
    }

    func testIdsContinueAfterTheHighestRestoredOne() {
        let restored = Incident(
            id: 41, priority: .p2, rule: .offline, scope: .device, device: "x", openedAt: 0,
            summary: "x", announced: true)
        var b = IncidentBook(
            restored: RestoredState(unresolvedIncidents: [restored], nextIncidentID: 7),
            policy: IncidentPolicy(Configuration()),
            clocks: SLAClocks(SLASettings(), localTime: LocalTime(SLASettings())), at: at(0))
        var config = Configuration()
        config.escalation.groupWaitSeconds = 0
        b.configure(policy: IncidentPolicy(config), clocks: b.clocks)
        XCTAssertEqual(b.raise(offline("y"), flapping: false, at: at(1)).lines, ["OPEN P2 offline #42"])
    }
}
