import XCTest

@testable import FleetCore

/// A standby taking over (SPEC §15): the engine restored from the database adopts the standby's
/// liveness (`warmStart` → `adopt`). Devices it watched get no new grace period, a device that
/// fell silent goes offline at its own deadline with an id from the database, incidents keep the
/// database's ids, and devices only the standby knew are registered.
final class TakeoverTests: XCTestCase {
    private let robot1 = DeviceTopic.robot("robot-01"), robot2 = DeviceTopic.robot("robot-02")

    /// A standby connected at 0 (grace until 60) that has heard both robots every 10 s up to 200,
    /// and robot-02 no more after 180.
    private func standby() -> EngineRig {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 180, beating: [robot1, robot2])
        rig.run(to: 200, beating: [robot1])
        return rig
    }

    /// What the old active committed: both robots online, robot-01's old incident still open.
    private func database(_ rig: EngineRig) -> RestoredState {
        let records = ["robot-01", "robot-02"].map {
            DeviceRecord(
                id: $0, site: "tianshan", kind: "delivery-robot", inventory: false, state: .online,
                stateSince: rig.wall(10), lastSeen: rig.wall(179))
        }
        var restored = RestoredState(devices: records, nextIncidentID: 42)
        restored.unresolvedIncidents = [
            Incident(
                id: 41, priority: .p2, rule: .offline, scope: .device, site: "tianshan", kind: "delivery-robot",
                device: "robot-01", openedAt: rig.wall(5), summary: "no heartbeat", announced: true)
        ]
        return restored
    }

    /// The new active: restored from `restored` at `t`, adopting the standby's view.
    private func takeOver(
        _ rig: EngineRig, _ restored: RestoredState, at t: Double, warm: Bool = true
    ) -> [EngineEffect] {
        let warmth = rig.engine.warmStart()
        rig.engine = DetectionEngine(configuration: rig.engine.configuration, restored: restored, at: rig.moment(t))
        var effects = rig.engine.takeStartupEffects()
        if warm { effects += rig.engine.adopt(warmth, at: rig.moment(t)) }
        return effects
    }

    func testNoGracePeriodAndASilentDeviceGoesOfflineAtItsOwnDeadlineWithADatabaseID() throws {
        let rig = standby()
        XCTAssertEqual(rig.engine.warmStart().heardCount, 2)
        _ = takeOver(rig, database(rig), at: 200)
        // robot-02 was last heard at 180: offline at 210 (30 s), not after a new 60 s grace.
        XCTAssertEqual(rig.run(to: 209, beating: [robot1]).announced, [])
        let offline = rig.run(to: 210, beating: [robot1])
        XCTAssertEqual(offline.eventSummaries, ["OPEN offline robot-02 #42"])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    func testWithoutTheWarmStartEveryoneWouldWaitOutAGracePeriod() throws {
        let rig = standby()
        _ = takeOver(rig, database(rig), at: 200, warm: false)
        rig.connect(at: 200)
        let opened = { (effects: [EngineEffect]) in effects.eventSummaries.filter { $0.hasPrefix("OPEN") } }
        XCTAssertEqual(opened(rig.run(to: 259, beating: [robot1])), [], "blind until the grace ends at 260")
        XCTAssertEqual(opened(rig.run(to: 260, beating: [robot1])), ["OPEN offline robot-02 #42"])
    }

    func testAnIncidentFromTheDatabaseKeepsItsIDAndResolvesWhenItsDeviceIsHeard() throws {
        let rig = standby()
        _ = takeOver(rig, database(rig), at: 200)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [41])
        let lines = rig.run(to: 240, beating: [robot1, robot2])
        XCTAssertEqual(
            lines.eventSummaries, ["RESOLVE offline robot-01 #41"], "robot-01 is online: its condition is clear")
        XCTAssertEqual(rig.engine.unresolvedIncidents, [])
    }

    func testADeviceOnlyTheStandbyHeardIsRegisteredAndWatched() throws {
        let rig = standby()
        var restored = database(rig)
        restored.devices.removeAll { $0.id == "robot-02" }
        let effects = takeOver(rig, restored, at: 200)
        XCTAssertEqual(effects.savedDevices.map(\.id), ["robot-02"])
        XCTAssertEqual(effects.savedDevices.first?.state, .unknown)
        XCTAssertEqual(rig.run(to: 210, beating: [robot1]).eventSummaries, ["OPEN offline robot-02 #42"])
    }
}
