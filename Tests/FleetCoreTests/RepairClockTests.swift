import XCTest

@testable import FleetCore

/// The contract's third clock (SPEC §6): repaired within `resolve_within_s` of opening, or — for
/// a major part — a plan within `plan_within_s`.
final class RepairClockTests: XCTestCase {
    private let robot = DeviceTopic.robot()

    /// A robot offline at t = 2 (an `offline` status), repair clock 1000 s, plan clock 600 s.
    private func offlineRobot(_ configure: (inout Configuration) -> Void = { _ in }) throws -> (EngineRig, Incident) {
        let rig = EngineRig {
            $0.sla.resolveWithinSeconds = 1000
            $0.sla.planWithinSeconds = 600
            configure(&$0)
        }
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        let opened = rig.statusOffline(robot, at: 2)
        let within = rig.engine.configuration.sla.resolveWithinSeconds
        XCTAssertEqual(
            opened.announced.first?.field("resolve_by"),
            within > 0 ? TimeFormat(zoneIdentifier: "Asia/Shanghai").format(rig.wall(2.5 + within)) : nil)
        return (rig, try XCTUnwrap(rig.engine.unresolvedIncidents.first))
    }

    private func breaches(_ effects: [EngineEffect]) -> [String] {
        effects.announced.filter { $0.kind == .slaBreach }.compactMap { $0.field("sla") }
    }

    func testEveryIncidentGetsResolveByAndBreachesItOnceWhenStillOpen() throws {
        let (rig, incident) = try offlineRobot()
        XCTAssertEqual(incident.resolveBy, rig.wall(1002.5))
        XCTAssertFalse(breaches(rig.run(to: 1002)).contains("resolve"))
        let at = rig.run(to: 1003)
        XCTAssertEqual(breaches(at), ["resolve"])
        XCTAssertEqual(at.announced.first { $0.kind == .slaBreach }?.field("msg"), "not resolved by resolve_by")
        XCTAssertEqual(breaches(rig.run(to: 5000)), [])
        XCTAssertEqual(rig.engine.unresolvedIncidents.first?.resolveBreached, true)
    }

    func testADispatchWhoseOnsiteByComesFirstBreachesItOnTimeThenTheRepairClock() throws {
        let (rig, incident) = try offlineRobot {
            $0.sla.p1OnsiteWithinSeconds = 100
            $0.sla.p2OnsiteWithinSeconds = 100
        }
        _ = try rig.engine.dispatch(incident.id, by: "zhang.min", at: rig.moment(10)).get()
        let onsiteBy = try XCTUnwrap(rig.engine.unresolvedIncidents.first?.onsiteBy)
        XCTAssertLessThan(onsiteBy, rig.wall(1002.5))
        XCTAssertEqual(breaches(rig.run(to: onsiteBy - rig.wall(0) - 0.5)), [])
        XCTAssertEqual(breaches(rig.run(to: onsiteBy - rig.wall(0) + 1)), ["onsite"])
        XCTAssertEqual(breaches(rig.run(to: 1002)), [])
        XCTAssertEqual(breaches(rig.run(to: 1003)), ["resolve"])
    }

    func testAnIncidentResolvedInTimeNeverBreachesItsRepairClock() throws {
        let (rig, _) = try offlineRobot()
        rig.beat(robot, at: 100)  // back: resolves after resolve_after_s (30 s)
        XCTAssertEqual(breaches(rig.run(to: 3000, beating: [robot], every: 5)), [])
        XCTAssertTrue(rig.engine.unresolvedIncidents.isEmpty)
    }

    func testARestoredIncidentThatAlreadyBreachedDoesNotBreachAgain() throws {
        let (rig, _) = try offlineRobot()
        rig.run(to: 1003)
        let breached = try XCTUnwrap(rig.engine.unresolvedIncidents.first)
        let device = try XCTUnwrap(rig.engine.device("robot-01"))
        let restarted = EngineRig(
            restored: RestoredState(
                devices: [device], unresolvedIncidents: [breached],
                nextIncidentID: 2),
            wallAtZero: rig.wall(1010)
        ) { $0.sla.resolveWithinSeconds = 1000 }
        restarted.connect(at: 0)
        XCTAssertEqual(breaches(restarted.run(to: 100)), [])
    }

    func testPartsStopTheRepairClockAndAPlanIsDueByPlanBy() throws {
        let (rig, incident) = try offlineRobot()
        let parts = try rig.engine.markParts(incident.id, by: "zhang.min", note: "lidar module", at: rig.moment(10))
            .get()
        XCTAssertEqual(parts.announced.map(\.kind), [.parts])
        XCTAssertEqual(
            parts.announced.first?.field("plan_by"),
            TimeFormat(zoneIdentifier: "Asia/Shanghai").format(rig.wall(2.5 + 600)))
        let marked = try XCTUnwrap(rig.engine.unresolvedIncidents.first)
        XCTAssertNil(marked.resolveBy, "the repair clock stopped")
        XCTAssertEqual(marked.planBy, rig.wall(602.5))
        XCTAssertEqual(breaches(rig.run(to: 602)), [])
        XCTAssertEqual(breaches(rig.run(to: 603)), ["plan"])
        XCTAssertEqual(breaches(rig.run(to: 5000)), [], "resolve never breaches once parts are needed")
    }

    func testAPlanInTimeBreachesNothing() throws {
        let (rig, incident) = try offlineRobot()
        _ = try rig.engine.markParts(incident.id, by: "zhang.min", note: nil, at: rig.moment(10)).get()
        let plan = try rig.engine.recordPlan(
            incident.id, by: "zhang.min", text: "new lidar by Friday",
            at: rig.moment(20)
        ).get()
        XCTAssertEqual(plan.announced.map(\.kind), [.plan])
        XCTAssertEqual(plan.announced.first?.field("msg"), "new lidar by Friday")
        XCTAssertEqual(breaches(rig.run(to: 5000)), [])
    }

    func testWrongOrderAndRepeatsAreRefusedAndChangeNothing() throws {
        let (rig, incident) = try offlineRobot()
        let label = Incident.label(incident.id)
        XCTAssertEqual(
            rig.engine.recordPlan(incident.id, by: "z", text: "x", at: rig.moment(5)).failureText,
            "\(label) is not marked as needing a major part (fleetwatch parts \(label) --by NAME first)")
        _ = try rig.engine.markParts(incident.id, by: "z", note: nil, at: rig.moment(6)).get()
        let before = rig.engine.unresolvedIncidents
        XCTAssertEqual(
            rig.engine.markParts(incident.id, by: "z", note: nil, at: rig.moment(7)).failureText,
            "\(label) is already marked as needing a major part")
        XCTAssertEqual(rig.engine.unresolvedIncidents, before)
        _ = try rig.engine.resolveByOperator(incident.id, by: "z", note: nil, at: rig.moment(8)).get()
        XCTAssertEqual(
            rig.engine.markParts(incident.id, by: "z", note: nil, at: rig.moment(9)).failureText,
            "no open incident \(label) (resolved incidents cannot be changed; see fleetwatch incidents --all)")
    }

    func testTheRepairClockCanBeTurnedOffAndReloaded() throws {
        let (rig, first) = try offlineRobot { $0.sla.resolveWithinSeconds = 0 }
        XCTAssertNil(first.resolveBy)
        var next = rig.engine.configuration
        next.sla.resolveWithinSeconds = 50
        _ = rig.engine.reload(next, at: rig.moment(3))
        rig.beat(robot, at: 3.5)  // robot-01 back, so robot-02 alone down is no outage
        rig.beat(.robot("robot-02"), at: 4)
        rig.statusOffline(.robot("robot-02"), at: 5)
        let second = try XCTUnwrap(rig.engine.unresolvedIncidents.first { $0.device == "robot-02" })
        XCTAssertEqual(second.resolveBy, rig.wall(5.5 + 50))
        let effects = rig.run(to: 57, beating: [robot], every: 5)
        XCTAssertEqual(
            effects.announced.filter { $0.kind == .slaBreach }
                .map { "\($0.field("sla") ?? "") \($0.field("device") ?? "")" }, ["resolve robot-02"])
    }

    func testChildrenFollowTheirParentsParts() throws {
        let rig = EngineRig(outages: true) { $0.escalation.fleetOfflineRatio = 1 }
        rig.connect(at: 0)
        let fleet: [DeviceTopic] = [.robot("r1"), .robot("r2"), .gate("g1")]
        rig.run(to: 100, beating: fleet)
        rig.run(to: 150, beating: [.gate("g1")])
        let outage = try XCTUnwrap(rig.engine.unresolvedIncidents.first { $0.rule == .siteOutage })
        _ = try rig.engine.markParts(outage.id, by: "z", note: nil, at: rig.moment(151)).get()
        let children = rig.engine.unresolvedIncidents.filter { $0.parent == outage.id }
        XCTAssertFalse(children.isEmpty)
        XCTAssertTrue(children.allSatisfy { $0.partsAt == rig.wall(151) && $0.resolveBy == nil && $0.planBy != nil })
    }
}
