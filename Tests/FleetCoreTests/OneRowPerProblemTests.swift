import XCTest

@testable import FleetCore

/// Issue 20: blips that are over before their OPEN line falls due stay quiet; outages keep their
/// extent current; an operator's action on an outage carries to its children.
final class OneRowPerProblemTests: XCTestCase {
    private static let tianshan: [DeviceTopic] = [
        .robot("robot-01"), .robot("robot-02"), .gate("gate-1"),
        .gate("gate-2"),
    ]
    private static let central: [DeviceTopic] = [
        .robot("robot-11", site: "central"), .gate("gate-11", site: "central"),
        .gate("gate-12", site: "central"), .gate("gate-13", site: "central"),
    ]
    private static let fleet = tianshan + central

    /// Eight devices at two sites beating every 10 s to t = 100; group_wait 10 s, resolve_after 30 s.
    private func fleetRig(_ configure: (inout Configuration) -> Void = { _ in }) -> EngineRig {
        let rig = EngineRig(outages: true, configure)
        rig.connect(at: 0)
        XCTAssertEqual(rig.run(to: 100, beating: Self.fleet).announced, [])
        return rig
    }

    private func beating(except ids: Set<String>) -> [DeviceTopic] { Self.fleet.filter { !ids.contains($0.device) } }

    private func open(_ rig: EngineRig, _ rule: RuleID, device: String? = nil) -> Incident? {
        rig.engine.unresolvedIncidents.first { $0.rule == rule && (device == nil || $0.device == device) }
    }

    // MARK: blips

    func testABlipOverBeforeItsOpenLineIsDueWritesNoLineAtAll() throws {
        let rig = EngineRig()  // device-level only, but with a real group wait
        rig.engine = DetectionEngine(
            configuration: {
                var c = rig.engine.configuration
                c.escalation.groupWaitSeconds = 10
                return c
            }(), at: rig.moment(0))
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        rig.beat(robot, at: 1)
        var effects = rig.statusOffline(robot, at: 2)  // offline, its line due at 12.5
        XCTAssertNotNil(open(rig, .offline))
        effects += rig.beat(robot, at: 3)  // back half a second later
        effects += rig.run(to: 100, beating: [robot], every: 5)
        XCTAssertEqual(effects.announced, [], "neither OPEN nor RESOLVE")
        XCTAssertEqual(effects.savedIncidents.last?.status, .resolved, "it stays in the database")
        XCTAssertNil(open(rig, .offline))
    }

    func testABlipThatReturnsBeforeItResolvesIsAnnouncedWhenItReturns() throws {
        let rig = fleetRig()
        var effects = rig.run(to: 131, beating: beating(except: ["robot-01"]))  // offline at 130, due 140
        effects += rig.beat(.robot("robot-01"), at: 132)  // clear before it is due
        effects += rig.run(to: 150, beating: beating(except: ["robot-01"]))  // due at 140: held back
        XCTAssertEqual(effects.announced, [])
        effects = rig.run(to: 190, beating: beating(except: ["robot-01"]))  // offline again at 162
        XCTAssertEqual(effects.eventSummaries, ["OPEN offline robot-01 #1"])
        XCTAssertEqual(effects.announced.first?.time, rig.wall(162), "announced when it came back, not later")
        XCTAssertEqual(open(rig, .offline, device: "robot-01")?.occurrences, 2)
    }

    func testASiteOutageOverBeforeItsLineIsDueStaysQuiet() {
        let rig = fleetRig()
        var effects = rig.run(to: 131, beating: beating(except: ["robot-01", "robot-02"]))
        XCTAssertNotNil(open(rig, .siteOutage))
        effects += rig.run(to: 300, beating: Self.fleet)
        XCTAssertEqual(effects.announced, [])
        XCTAssertEqual(rig.engine.unresolvedIncidents, [])
    }

    // MARK: extent

    func testAnOutageKeepsItsSummaryAndExtentCurrentWithoutNewLines() throws {
        let rig = fleetRig()
        var effects = rig.run(to: 145, beating: beating(except: ["robot-01", "robot-02"]))
        XCTAssertEqual(effects.priorityLines, ["OPEN P1 site-outage"])
        XCTAssertEqual(open(rig, .siteOutage)?.extent, 2)
        effects = rig.run(to: 200, beating: beating(except: ["robot-01", "robot-02", "gate-1"]))
        let outage = try XCTUnwrap(open(rig, .siteOutage))
        XCTAssertEqual(outage.summary, "3 of 4 devices at tianshan offline")
        XCTAssertEqual(outage.extent, 3)
        XCTAssertEqual(effects.announced, [], "widening within the site is no news")
    }

    // MARK: actions on a parent

    private func siteOutage(_ rig: EngineRig) throws -> Incident {
        XCTAssertEqual(
            rig.run(to: 150, beating: beating(except: ["robot-01", "robot-02", "gate-1"])).priorityLines,
            ["OPEN P1 site-outage"])
        return try XCTUnwrap(open(rig, .siteOutage))
    }

    func testChildrenFollowTheirParentsAcknowledgementAndDispatchWithoutLines() throws {
        let rig = fleetRig { $0.escalation.fleetOfflineRatio = 1 }  // half the fleet down stays a site outage
        let outage = try siteOutage(rig)
        let ack = try rig.engine.acknowledge(outage.id, by: "li.wei", note: nil, at: rig.moment(151)).get()
        XCTAssertEqual(ack.announced.map(\.kind), [.ack])
        let children = rig.engine.unresolvedIncidents.filter { $0.parent == outage.id }
        XCTAssertEqual(children.count, 4, "3 offline devices and the core-down of the robots")
        XCTAssertTrue(children.allSatisfy { $0.status == .acknowledged && $0.acknowledgedAt == rig.wall(151) })
        let dispatch = try rig.engine.dispatch(outage.id, by: "li.wei", at: rig.moment(152)).get()
        XCTAssertEqual(dispatch.announced.map(\.kind), [.dispatch])
        let onsite = try XCTUnwrap(open(rig, .siteOutage)?.onsiteBy)
        XCTAssertTrue(
            rig.engine.unresolvedIncidents.filter { $0.parent == outage.id }
                .allSatisfy { $0.dispatchedAt == rig.wall(152) && $0.onsiteBy == onsite })
        // A device that joins the acknowledged outage later follows it too.
        rig.run(to: 200, beating: beating(except: ["robot-01", "robot-02", "gate-1", "gate-2"]))
        let late = try XCTUnwrap(open(rig, .offline, device: "gate-2"))
        XCTAssertEqual(late.parent, outage.id)
        XCTAssertEqual(late.status, .acknowledged)
        XCTAssertNotNil(late.dispatchedAt)
    }

    func testResolvingAnOutageByHandWhileItsDevicesAreDownReopensItAsOneNewLine() throws {
        let rig = fleetRig()
        let outage = try siteOutage(rig)
        let resolved = try rig.engine.resolveByOperator(outage.id, by: "li.wei", note: "known", at: rig.moment(151))
            .get()
        XCTAssertEqual(resolved.priorityLines, ["RESOLVE P1 site-outage"], "no line per child")
        XCTAssertTrue(resolved.savedIncidents.filter { $0.parent == outage.id }.allSatisfy { $0.status == .resolved })
        let reopened = try XCTUnwrap(open(rig, .siteOutage))
        XCTAssertGreaterThan(reopened.id, outage.id)
        XCTAssertEqual(rig.engine.unresolvedIncidents.filter { $0.parent == reopened.id }.count, 4)
        let later = rig.run(to: 170, beating: beating(except: ["robot-01", "robot-02", "gate-1"]))
        XCTAssertEqual(later.priorityLines, ["OPEN P1 site-outage"], "one new line after group_wait_s")
        XCTAssertEqual(later.announced.first?.time, rig.wall(161))
        XCTAssertEqual(later.announced.first?.priority, .p1)
    }

    func testResolvingADeviceIncidentByHandWhileItIsStillDownDoesNotCountAsARepeatedFailure() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        rig.beat(robot, at: 1)
        rig.statusOffline(robot, at: 2)
        for n in 0..<3 {
            let id = try XCTUnwrap(open(rig, .offline)?.id)
            let effects = try rig.engine.resolveByOperator(id, by: "li", note: nil, at: rig.moment(10 + Double(n)))
                .get()
            XCTAssertEqual(effects.priorityLines, ["RESOLVE P2 offline", "OPEN P2 offline"], "round \(n)")
        }
    }
}
