import XCTest

@testable import FleetCore

/// Issue 11, item 5, in the engine: while the daemon probes its broker, a deadline counts only
/// once the broker is known to have delivered after it.
final class DeliveryProofTests: XCTestCase {
    /// Heard at 0 with the robot kind's 30 s timeout (10 s × 3); the broker proven through 0.
    private func rig() -> EngineRig {
        let rig = EngineRig()
        rig.connect(at: -100)
        rig.beat(.robot(), at: 0)
        rig.engine.brokerDelivered(through: rig.moment(0).monotonic)
        return rig
    }

    func testADeadlineWaitsForProofThatTheBrokerDeliveredAfterIt() {
        let rig = rig()
        XCTAssertNil(rig.engine.deadlineAwaitingDelivery(at: rig.moment(29)))
        XCTAssertEqual(rig.run(to: 45).eventSummaries, [], "nothing proven after 0: the broker may be frozen")
        XCTAssertEqual(rig.state("robot-01"), .online)
        XCTAssertEqual(rig.engine.deadlineAwaitingDelivery(at: rig.moment(45)), rig.moment(30).monotonic)
        rig.engine.brokerDelivered(through: rig.moment(29.9).monotonic)
        XCTAssertEqual(rig.tick(at: 45.1).eventSummaries, [], "proof until 29.9 s: the deadline at 30 s waits")
        rig.engine.brokerDelivered(through: rig.moment(45).monotonic)
        XCTAssertEqual(rig.tick(at: 45.2).eventSummaries, ["OPEN offline robot-01 #1"])
        XCTAssertNil(rig.engine.deadlineAwaitingDelivery(at: rig.moment(46)))
    }

    func testAnOfflineStatusIsConfirmedOnlyOnceTheBrokerDeliveredAfterItsDelay() {
        let rig = rig()
        rig.status(online: false, .robot(), at: 5)
        XCTAssertEqual(rig.tick(at: 6).eventSummaries, [])
        XCTAssertEqual(
            rig.engine.deadlineAwaitingDelivery(at: rig.moment(6)),
            rig.moment(5 + DetectionEngine.statusConfirmDelay).monotonic)
        rig.engine.brokerDelivered(through: rig.moment(6).monotonic)
        XCTAssertEqual(rig.tick(at: 6.1).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    func testABrokerThatStopsDeliveringBlindsTheEngineAndItsReturnBringsTheGrace() {
        let rig = rig()
        XCTAssertEqual(rig.engine.brokerStoppedDelivering(at: rig.moment(3)), [])
        XCTAssertFalse(rig.engine.brokerConnected)
        rig.engine.brokerDelivered(through: rig.moment(50).monotonic)  // stale proof cannot count while blind
        XCTAssertEqual(rig.run(to: 55).eventSummaries, [])
        XCTAssertNil(rig.engine.deadlineAwaitingDelivery(at: rig.moment(55)))
        rig.connect(at: 55)  // delivering again: grace (60 s by default) for everyone
        rig.engine.brokerDelivered(through: rig.moment(55).monotonic)
        XCTAssertEqual(rig.run(to: 114).eventSummaries, [])
        rig.engine.brokerDelivered(through: rig.moment(116).monotonic)
        XCTAssertEqual(rig.run(to: 116).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    func testWithoutProbesDeadlinesCountUpToNowAsBefore() {
        let rig = EngineRig()
        rig.connect(at: -100)
        rig.beat(.robot(), at: 0)
        XCTAssertEqual(rig.run(to: 31).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    /// Found by scripts/chaos: after a broker freeze the broker published (and kept, as their
    /// retained status) the wills of devices that were reconnecting; the daemon, reconnected or
    /// restarted, put 60 live devices offline at once. An `offline` for a device alive lately
    /// but not heard since the daemon began to see again waits for the grace to end.
    func testAStatusOfflineForALiveDeviceNotHeardSinceTheRestartWaitsForTheGrace() {
        let alive = { (id: String) in
            DeviceRecord(
                id: id, site: "tianshan", kind: "delivery-robot", inventory: false, state: .online,
                stateSince: EngineRig.defaultWallAtZero - 100, lastSeen: EngineRig.defaultWallAtZero - 1)
        }
        let longGone = DeviceRecord(
            id: "robot-gone", site: "tianshan", kind: "delivery-robot", inventory: false,
            state: .online, stateSince: EngineRig.defaultWallAtZero - 9000,
            lastSeen: EngineRig.defaultWallAtZero - 9000)
        let rig = EngineRig(restored: RestoredState(devices: [alive("robot-live"), alive("robot-dead"), longGone])) {
            $0.devices = [InventoryDevice(id: "robot-never", site: "tianshan", kind: "delivery-robot")]
        }
        rig.connect(at: 0)  // grace until 60 s; robots beat every 10 s
        for id in ["robot-live", "robot-dead", "robot-never", "robot-gone"] {
            rig.status(online: false, .robot(id), at: 0.1)
        }
        XCTAssertEqual(
            rig.tick(at: 0.6).eventSummaries, ["OPEN offline robot-gone #1", "OPEN offline robot-never #2"],
            "never heard, or silent for longer than timeout and grace: believed at once")
        XCTAssertEqual(rig.run(to: 45).eventSummaries, [])
        rig.beat(.robot("robot-live"), at: 45)  // a device slow to reconnect, within the grace
        XCTAssertEqual(rig.run(to: 59.9).eventSummaries, [])
        XCTAssertEqual(
            rig.tick(at: 60).eventSummaries, ["OPEN offline robot-dead #3"], "not heard in the grace: believed")
        XCTAssertEqual(rig.state("robot-live"), .online)
        // Heard since: an offline status is believed after the usual half second.
        let heard = rig.statusOffline(.robot("robot-live"), at: 61)
        XCTAssertTrue(heard.savedIncidents.contains { $0.device == "robot-live" && $0.rule == .offline })
        XCTAssertEqual(rig.state("robot-live"), .offline)
    }

    /// Found by scripts/chaos: wills the broker delivered while the daemon was blind to it (its
    /// probe not back yet) were confirmed the moment it could see again.
    func testOfflineStatusesThatCameWhileBlindWaitForTheGraceOnceTheDaemonSeesAgain() {
        let rig = EngineRig()
        rig.connect(at: -100)
        rig.run(to: 0, beating: [.robot("robot-a"), .robot("robot-b")], every: 5)
        XCTAssertEqual(rig.engine.brokerStoppedDelivering(at: rig.moment(1)), [])
        rig.status(online: false, .robot("robot-a"), at: 2)  // the broker resumes with the wills
        rig.status(online: false, .robot("robot-b"), at: 2)
        rig.connect(at: 3)  // delivering again: grace until 63 s
        XCTAssertEqual(rig.tick(at: 3.6).eventSummaries, [])
        rig.beat(.robot("robot-a"), at: 20)
        XCTAssertEqual(rig.run(to: 62).eventSummaries, [])
        XCTAssertEqual(rig.tick(at: 63).eventSummaries, ["OPEN offline robot-b #1"])
        XCTAssertEqual(rig.state("robot-a"), .online)
    }
}
