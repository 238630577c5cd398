import XCTest

@testable import FleetCore

/// SLA-WARNING through the whole engine: from the once-a-second deadline check, once per
/// deadline, persisted across a restart (the incident's flag), rescheduled by a reload.
final class SLAWarningEngineTests: XCTestCase {
    private let robot = DeviceTopic.robot()

    /// respond_by one hour of service time after opening (10:00 → 11:00), warned 30 min before.
    private func rig(restored: RestoredState = RestoredState(), warn: Double = 1800) -> EngineRig {
        EngineRig(restored: restored) {
            $0.sla.respondWithinSeconds = 3600
            $0.sla.warnBeforeSeconds = warn
        }
    }

    func testAnUnacknowledgedIncidentGetsOneWarningWarnBeforeItsRespondBy() {
        let rig = rig()
        rig.connect(at: 0)
        rig.beat(robot, at: 0.5)  // heard first: a status alone registers nothing
        XCTAssertEqual(rig.statusOffline(robot, at: 1).eventSummaries, ["OPEN offline robot-01 #1"])
        // Opened at ~t=1.2 (10:00:01): respond_by 11:00:01, warned from 10:30:01 on.
        XCTAssertEqual(rig.run(to: 1800).eventSummaries, [])
        let warned = rig.run(to: 1803)
        XCTAssertEqual(warned.eventSummaries, ["SLA-WARNING offline robot-01 #1"])
        XCTAssertEqual(warned.announced.first?.field("sla"), "respond")
        XCTAssertEqual(warned.savedIncidents.last?.respondWarned, true, "the flag is saved with the line")
        XCTAssertEqual(rig.run(to: 3590).eventSummaries, [], "once per deadline")
    }

    func testAnAcknowledgedIncidentIsNotWarned() {
        let rig = rig()
        rig.connect(at: 0)
        rig.beat(robot, at: 0.5)  // heard first: a status alone registers nothing
        rig.statusOffline(robot, at: 1)
        guard case .success = rig.engine.acknowledge(1, by: "li.wei", note: nil, at: rig.moment(10)) else {
            return XCTFail("acknowledge refused")
        }
        XCTAssertEqual(rig.run(to: 3000).eventSummaries, [])
    }

    func testAWarningWrittenBeforeARestartIsNotWrittenAgain() {
        func restored(warned: Bool) -> RestoredState {
            var incident = Incident(
                id: 41, priority: .p2, rule: "offline", scope: .device, site: "tianshan",
                kind: "delivery-robot", device: "robot-01",
                openedAt: EngineRig.defaultWallAtZero - 3000,
                respondBy: EngineRig.defaultWallAtZero + 600, summary: "x", announced: true)
            incident.respondWarned = warned
            let record = DeviceRecord(
                id: "robot-01", site: "tianshan", kind: "delivery-robot", inventory: false,
                state: .offline, stateSince: incident.openedAt)
            return RestoredState(devices: [record], unresolvedIncidents: [incident], nextIncidentID: 42)
        }
        let again = rig(restored: restored(warned: true))
        again.connect(at: 0)
        XCTAssertEqual(again.run(to: 5).eventSummaries, [])
        let first = rig(restored: restored(warned: false))
        first.connect(at: 0)
        XCTAssertEqual(
            first.run(to: 5).eventSummaries, ["SLA-WARNING offline robot-01 #41"],
            "a warning due while the daemon was down is written at once")
    }

    func testAReloadThatTurnsWarningsOnSchedulesThemForOpenIncidents() {
        let rig = rig(warn: 0)
        rig.connect(at: 0)
        rig.beat(robot, at: 0.5)  // heard first: a status alone registers nothing
        rig.statusOffline(robot, at: 1)
        XCTAssertEqual(rig.run(to: 1900).eventSummaries, [])
        var next = rig.engine.configuration
        next.sla.warnBeforeSeconds = 1800
        _ = rig.engine.reload(next, at: rig.moment(1900))
        XCTAssertEqual(rig.run(to: 1903).eventSummaries, ["SLA-WARNING offline robot-01 #1"])
    }
}
