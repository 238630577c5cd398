import XCTest

@testable import FleetCore

final class DetectionEngineTests: XCTestCase {
    private let robot = DeviceTopic.robot()

    /// Connected at 0 (grace until 60), robot-01 heard once at 100, ticked every second up to 129.
    private func robotHeardAt100() -> EngineRig {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100)
        XCTAssertEqual(rig.run(to: 129).announced, [])
        return rig
    }

    // MARK: offline by timeout

    func testADeviceGoesOfflineExactlyAtLastSeenPlusIntervalTimesMissed() throws {
        let rig = robotHeardAt100()
        XCTAssertEqual(rig.tick(at: 129.999), [])
        XCTAssertEqual(rig.state("robot-01"), .online)

        let effects = rig.tick(at: 130)
        XCTAssertEqual(rig.state("robot-01"), .offline)
        XCTAssertEqual(effects.savedDevices.map(\.state), [.offline])
        XCTAssertEqual(effects.savedDevices.first?.stateSince, rig.wall(130))
        let event = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(effects.announced.count, 1)
        XCTAssertEqual(event.kind, .open)
        XCTAssertEqual(event.priority, .p2)
        XCTAssertEqual(event.incidentID, 1)
        XCTAssertEqual(event.time, rig.wall(130))
        XCTAssertEqual(event.fields.map(\.key), ["rule", "site", "kind", "device", "respond_by", "resolve_by", "msg"])
        XCTAssertEqual(event.field("rule"), "offline")
        XCTAssertEqual(event.field("site"), "tianshan")
        XCTAssertEqual(event.field("kind"), "delivery-robot")
        XCTAssertEqual(event.field("device"), "robot-01")
        XCTAssertEqual(event.field("msg"), "no heartbeat for 30s (expected every 10s)")

        let incident = try XCTUnwrap(effects.savedIncidents.last)
        XCTAssertTrue(incident.announced)
        XCTAssertEqual(incident.id, 1)
        XCTAssertEqual(incident.rule, "offline")
        XCTAssertEqual(incident.scope, .device)
        XCTAssertEqual(incident.status, .open)
        XCTAssertEqual(incident.occurrences, 1)
        XCTAssertEqual(incident.openedAt, rig.wall(130))
        XCTAssertEqual(rig.engine.unresolvedIncidents, [incident])
    }

    func testALateTickDeclaresOfflineWithTheActualSilence() throws {
        let rig = robotHeardAt100()
        XCTAssertEqual(rig.tick(at: 131.2).announced.first?.field("msg"), "no heartbeat for 31.2s (expected every 10s)")
    }

    func testEachKindUsesItsOwnIntervalAndMissedCount() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(.gate("gate-1"), at: 100)  // face-gate: 15 s × 3
        rig.run(to: 144)
        XCTAssertEqual(rig.tick(at: 144.9), [])
        XCTAssertEqual(rig.tick(at: 145).eventSummaries, ["OPEN offline gate-1 #1"])
    }

    func testAConfiguredKindIntervalAndMissedCountAreUsed() {
        let rig = EngineRig {
            $0.kinds["delivery-robot"]?.intervalSeconds = 2
            $0.kinds["delivery-robot"]?.missed = 5
        }
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100)
        rig.run(to: 109)
        XCTAssertEqual(rig.tick(at: 109.99), [])
        XCTAssertEqual(rig.tick(at: 110).announced.first?.field("msg"), "no heartbeat for 10s (expected every 2s)")
    }

    func testADeviceThatKeepsBeatingNeverGoesOffline() {
        let rig = EngineRig()
        rig.connect(at: 0)
        let effects = rig.run(to: 600, beating: [robot], every: 29)
        XCTAssertEqual(effects.announced, [])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    // MARK: the watcher's own faults

    func testOfflineIsNotDeclaredWhileTheBrokerIsDisconnected() {
        let rig = robotHeardAt100()
        rig.run(to: 110)
        rig.disconnect(at: 110)
        XCTAssertEqual(rig.run(to: 1000).announced.filter { $0.field("device") != nil }, [])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    func testNothingGoesOfflineBeforeTheFirstConnect() {
        let rig = EngineRig { $0.devices = [InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot")] }
        _ = rig.engine.takeStartupEffects()
        XCTAssertEqual(rig.run(to: 500).announced.filter { $0.field("device") != nil }, [])
        XCTAssertEqual(rig.state("robot-01"), .unknown)
    }

    func testEveryDeviceGetsStartupGraceAfterReconnect() {
        let rig = robotHeardAt100()
        rig.run(to: 110)
        rig.disconnect(at: 110)
        rig.run(to: 300)
        rig.connect(at: 300)
        XCTAssertEqual(rig.run(to: 359), [])
        XCTAssertEqual(rig.tick(at: 359.999), [])
        let effects = rig.tick(at: 360)
        XCTAssertEqual(effects.eventSummaries, ["OPEN offline robot-01 #1"])
        XCTAssertEqual(effects.announced.first?.field("msg"), "no heartbeat for 260s (expected every 10s)")
    }

    func testAShortReconnectDoesNotShortenARunningGrace() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.run(to: 50)
        rig.disconnect(at: 50)
        rig.connect(at: 51)  // grace now until 111
        XCTAssertEqual(rig.run(to: 110), [])
        XCTAssertEqual(rig.tick(at: 111).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    func testAStallLongerThanTheThresholdGrantsNewGrace() {
        let rig = robotHeardAt100()
        rig.run(to: 110)
        XCTAssertFalse(rig.engine.isStalled(at: rig.moment(110 + DetectionEngine.stallThreshold)))
        XCTAssertTrue(rig.engine.isStalled(at: rig.moment(200)))
        // The loop was stopped from 110 to 200: the deadline at 130 passed unseen.
        XCTAssertEqual(rig.tick(at: 200), [])
        XCTAssertEqual(rig.state("robot-01"), .online)
        XCTAssertEqual(rig.run(to: 259), [])
        XCTAssertEqual(rig.tick(at: 259.9), [])
        XCTAssertEqual(rig.tick(at: 260).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    func testTickGapsOfExactlyTheStallThresholdAreNotAStall() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100)
        // Ticks exactly `stallThreshold` apart up to the deadline at 130: no stall, no grace.
        XCTAssertEqual(rig.run(to: 125, step: DetectionEngine.stallThreshold).announced, [])
        XCTAssertEqual(rig.tick(at: 130).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    func testATickGapJustOverTheStallThresholdIsAStall() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100)
        rig.run(to: 125)
        // 125 → 130.01 is 5.01 s: the loop was late, so the robot gets a new grace period.
        XCTAssertEqual(rig.tick(at: 125 + DetectionEngine.stallThreshold + 0.01), [])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    func testAStallWhileDisconnectedStillGrantsGraceAfterReconnect() {
        let rig = robotHeardAt100()
        rig.disconnect(at: 129)
        rig.tick(at: 400)  // stalled and blind
        rig.connect(at: 401)
        XCTAssertEqual(rig.run(to: 460), [])
        XCTAssertEqual(rig.tick(at: 461).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    func testAnOfflineStatusIsNotBelievedWhenTheBrokerConnectionDropsRightAfterIt() {
        // A broker shutting down publishes every device's last will and then drops us.
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.status(online: false, robot, at: 2)
        rig.disconnect(at: 2 + DetectionEngine.statusConfirmDelay / 2)
        XCTAssertEqual(rig.run(to: 20).announced, [])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    func testAHeartbeatRightAfterAnOfflineStatusWins() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.status(online: false, robot, at: 2)
        rig.beat(robot, at: 2 + DetectionEngine.statusConfirmDelay / 2)
        XCTAssertEqual(rig.run(to: 10).announced, [])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    // MARK: the broker itself

    func testBrokerUnreachableAtStartOpensAP1AfterBrokerDownP1After() throws {
        let rig = EngineRig()
        XCTAssertEqual(rig.run(to: 299), [])
        let effects = rig.tick(at: 300)
        XCTAssertEqual(effects.eventSummaries, ["OPEN broker-unreachable - #1"])
        let open = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(open.priority, .p1)
        XCTAssertEqual(open.field("msg"), "broker 127.0.0.1:1883 unreachable for 300s")
        XCTAssertEqual(effects.savedIncidents.last?.scope, .collector)
        XCTAssertEqual(rig.run(to: 400), [])  // one incident, not one per tick

        rig.connect(at: 400)
        XCTAssertEqual(rig.run(to: 429).announced, [])
        XCTAssertEqual(rig.tick(at: 430).eventSummaries, ["RESOLVE broker-unreachable - #1"])
    }

    func testBrokerUnreachableIsCountedFromTheMomentTheConnectionWasLost() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.disconnect(at: 100)
        XCTAssertEqual(rig.run(to: 399), [])
        XCTAssertEqual(rig.tick(at: 400).eventSummaries, ["OPEN broker-unreachable - #1"])
    }

    func testABrokerOutageShorterThanTheThresholdOpensNothing() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.disconnect(at: 100)
        rig.run(to: 399)
        rig.connect(at: 399)
        rig.run(to: 500)
        rig.disconnect(at: 500)
        XCTAssertEqual(rig.run(to: 799), [])
    }

    // MARK: status messages

    func testStatusOfflineIsImmediateEvenDuringGrace() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        XCTAssertEqual(rig.status(online: false, robot, at: 2).announced, [])
        let effects = rig.tick(at: 2 + DetectionEngine.statusConfirmDelay)  // well inside the 60 s grace
        XCTAssertEqual(effects.eventSummaries, ["OPEN offline robot-01 #1"])
        XCTAssertEqual(effects.announced.first?.field("msg"), "device reported offline (status message or last will)")
        XCTAssertEqual(rig.state("robot-01"), .offline)
    }

    func testAnOfflineStatusWaitsForItsConfirmationDelay() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.status(online: false, robot, at: 2)
        XCTAssertEqual(rig.tick(at: 2 + DetectionEngine.statusConfirmDelay * 0.9), [])
        XCTAssertEqual(rig.state("robot-01"), .online)
        XCTAssertEqual(
            rig.tick(at: 2 + DetectionEngine.statusConfirmDelay).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    /// Issue 11, item 10. Before: a status from an unknown id registered a phantom device, which
    /// went offline and opened incidents (SPEC §4: devices are registered on their first heartbeat).
    func testAStatusFromANeverHeardDeviceRegistersNothing() {
        let rig = EngineRig()
        rig.connect(at: 0)
        for online in [false, true] {
            XCTAssertEqual(
                rig.engine.statusReceived(online: online, on: robot, at: rig.moment(5)).failureReason, .unknownDevice)
        }
        XCTAssertEqual(rig.run(to: 100).announced, [])
        XCTAssertEqual(rig.engine.deviceCount, 0)
    }

    func testStatusOnlineAloneDoesNotMakeADeviceOnline() {
        let rig = EngineRig { $0.devices = [InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot")] }
        rig.connect(at: 0)
        let effects = rig.status(online: true, robot, at: 5)
        XCTAssertEqual(effects.savedDevices, [])
        XCTAssertEqual(effects.announced, [])
        XCTAssertEqual(rig.state("robot-01"), .unknown)
        XCTAssertNil(rig.engine.device("robot-01")?.lastSeen)
    }

    func testARepeatedStatusOfflineChangesNothing() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.statusOffline(robot, at: 2)
        XCTAssertEqual(rig.statusOffline(robot, at: 3), [])
        XCTAssertEqual(rig.run(to: 200), [])
    }

    // MARK: inventory

    func testAnInventoryDeviceIsRegisteredAtStartAsUnknown() {
        let rig = EngineRig {
            $0.devices = [InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot", name: "3F robot")]
        }
        let effects = rig.engine.takeStartupEffects()
        XCTAssertEqual(
            effects,
            [
                .saveDevice(
                    DeviceRecord(
                        id: "robot-01", site: "tianshan", kind: "delivery-robot",
                        name: "3F robot", inventory: true, state: .unknown,
                        stateSince: EngineRig.defaultWallAtZero))
            ])
        XCTAssertEqual(rig.engine.takeStartupEffects(), [])
    }

    func testAnInventoryDeviceNeverHeardGoesOfflineAtGraceEnd() {
        let rig = EngineRig { $0.devices = [InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot")] }
        _ = rig.engine.takeStartupEffects()
        rig.connect(at: 0)
        XCTAssertEqual(rig.run(to: 59), [])
        XCTAssertEqual(rig.tick(at: 59.999), [])
        XCTAssertEqual(rig.state("robot-01"), .unknown)
        let effects = rig.tick(at: 60)
        XCTAssertEqual(effects.eventSummaries, ["OPEN offline robot-01 #1"])
        XCTAssertEqual(effects.announced.first?.field("msg"), "not heard since the daemon started (grace 60s)")
        XCTAssertEqual(rig.state("robot-01"), .offline)
    }

    func testAnInventoryDeviceHeardDuringGraceGetsItsNormalTimeout() {
        let rig = EngineRig { $0.devices = [InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot")] }
        rig.connect(at: 0)
        rig.run(to: 50)
        rig.beat(robot, at: 50)
        XCTAssertEqual(rig.run(to: 79), [])
        XCTAssertEqual(rig.tick(at: 80).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    // MARK: one incident per problem

    func testARelapseBeforeResolveUpdatesTheOpenIncidentInsteadOfOpeningAnother() throws {
        let rig = robotHeardAt100()
        XCTAssertEqual(rig.tick(at: 130).eventSummaries, ["OPEN offline robot-01 #1"])
        rig.run(to: 140)
        rig.beat(robot, at: 140)
        XCTAssertEqual(rig.state("robot-01"), .online)
        rig.run(to: 150)
        let effects = rig.statusOffline(robot, at: 150)
        XCTAssertEqual(effects.eventSummaries, ["UPDATE offline robot-01 #1"])
        let update = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(update.field("occurrences"), "2")
        XCTAssertEqual(update.field("msg"), "device reported offline (status message or last will)")
        let incident = try XCTUnwrap(effects.savedIncidents.first)
        XCTAssertEqual(incident.id, 1)
        XCTAssertEqual(incident.occurrences, 2)
        XCTAssertEqual(incident.lastSeenAt, rig.wall(150 + DetectionEngine.statusConfirmDelay))
        XCTAssertEqual(incident.openedAt, rig.wall(130))
        XCTAssertEqual(rig.engine.unresolvedIncidents.count, 1)
    }

    func testARelapseByTimeoutAlsoUpdates() {
        let rig = EngineRig { $0.detection.resolveAfterSeconds = 100 }
        rig.connect(at: 0)
        rig.run(to: 70)
        rig.beat(robot, at: 70)
        XCTAssertEqual(rig.run(to: 100).eventSummaries, ["OPEN offline robot-01 #1"])
        rig.beat(robot, at: 100)
        let effects = rig.run(to: 130)
        XCTAssertEqual(effects.eventSummaries, ["UPDATE offline robot-01 #1"])
        XCTAssertEqual(effects.announced.first?.field("occurrences"), "2")
    }

    func testAConditionThatStillHoldsIsNotAnnouncedAgain() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1) { $0.health = .degraded }
        for t in stride(from: 2.0, through: 20, by: 1) {
            XCTAssertEqual(rig.beat(robot, at: t) { $0.health = .degraded }, [], "at \(t)")
        }
    }

    // MARK: auto-resolve

    func testAnIncidentResolvesOnlyAfterResolveAfterSecondsClear() throws {
        let rig = robotHeardAt100()
        rig.tick(at: 130)
        rig.run(to: 140)
        rig.beat(robot, at: 140)  // clear from 140
        XCTAssertEqual(rig.run(to: 169, beating: [robot]).announced, [])
        XCTAssertEqual(rig.tick(at: 169.999), [])
        XCTAssertEqual(rig.engine.unresolvedIncidents.count, 1)

        let effects = rig.tick(at: 170)
        XCTAssertEqual(effects.eventSummaries, ["RESOLVE offline robot-01 #1"])
        let resolve = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(resolve.field("by"), "auto")
        XCTAssertEqual(resolve.field("msg"), "condition clear for 30s")
        let incident = try XCTUnwrap(effects.savedIncidents.first)
        XCTAssertEqual(incident.status, .resolved)
        XCTAssertEqual(incident.resolvedAt, rig.wall(170))
        XCTAssertEqual(rig.engine.unresolvedIncidents, [])
    }

    func testIncidentIdsIncreaseAndAreNeverReused() {
        let rig = EngineRig { $0.detection.resolveAfterSeconds = 5 }
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        XCTAssertEqual(rig.statusOffline(robot, at: 2).eventSummaries, ["OPEN offline robot-01 #1"])
        rig.beat(robot, at: 3)
        XCTAssertEqual(rig.run(to: 10, beating: [robot], every: 1).eventSummaries, ["RESOLVE offline robot-01 #1"])
        XCTAssertEqual(rig.statusOffline(robot, at: 11).eventSummaries, ["OPEN offline robot-01 #2"])
        XCTAssertEqual(
            rig.beat(.robot("robot-03"), at: 12) { $0.health = .fault }.eventSummaries,
            ["OPEN fault robot-03 #3"])
        rig.beat(.robot("robot-02"), at: 12.5)
        XCTAssertEqual(rig.statusOffline(.robot("robot-02"), at: 13).eventSummaries, ["OPEN offline robot-02 #4"])
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id).sorted(), [2, 3, 4])
    }

    // MARK: restore

    private func restoredOfflineRobot(incidentID: Int64 = 41, next: Int64 = 42, breached: Bool = true) -> RestoredState
    {
        let record = DeviceRecord(
            id: "robot-01", site: "tianshan", kind: "delivery-robot", inventory: false,
            state: .offline, stateSince: 1_795_650_000, lastSeen: 1_795_649_970)
        var incident = Incident(
            id: incidentID, priority: .p2, rule: "offline", scope: .device, site: "tianshan",
            kind: "delivery-robot", device: "robot-01", openedAt: 1_795_650_000,
            respondBy: 1_795_657_200, summary: "no heartbeat for 30s (expected every 10s)",
            announced: true)
        incident.respondBreached = breached  // its respond_by is before the rig's clock
        return RestoredState(devices: [record], unresolvedIncidents: [incident], nextIncidentID: next)
    }

    func testRestoreKeepsIncidentIdsAndDoesNotReopen() throws {
        let rig = EngineRig(restored: restoredOfflineRobot())
        XCTAssertEqual(rig.engine.takeStartupEffects(), [])
        XCTAssertEqual(rig.state("robot-01"), .offline)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [41])
        rig.connect(at: 0)
        XCTAssertEqual(rig.run(to: 120), [])
        XCTAssertEqual(rig.statusOffline(robot, at: 121), [])

        rig.beat(robot, at: 130)
        XCTAssertEqual(rig.state("robot-01"), .online)
        XCTAssertEqual(rig.run(to: 160, beating: [robot]).eventSummaries, ["RESOLVE offline robot-01 #41"])
        XCTAssertEqual(rig.statusOffline(robot, at: 161).eventSummaries, ["OPEN offline robot-01 #42"])
    }

    func testAMissedRespondByIsBreachedOnceAndNotAgainAfterARestart() {
        let rig = EngineRig(restored: restoredOfflineRobot(breached: false))
        rig.connect(at: 0)
        XCTAssertEqual(rig.run(to: 5).eventSummaries, ["SLA-BREACH offline robot-01 #41"])
        XCTAssertEqual(rig.run(to: 10).eventSummaries, [])
        let again = EngineRig(restored: restoredOfflineRobot(breached: true))
        again.connect(at: 0)
        XCTAssertEqual(again.run(to: 5).eventSummaries, [])
    }

    func testRestoreNeverReusesAnIdEvenWhenTheNextIdIsStale() {
        let rig = EngineRig(restored: restoredOfflineRobot(incidentID: 41, next: 1))
        rig.connect(at: 0)
        rig.beat(.robot("robot-03"), at: 0.5)  // someone stays online: no fleet outage
        rig.beat(.robot("robot-02"), at: 0.7)
        XCTAssertEqual(rig.statusOffline(.robot("robot-02"), at: 1).eventSummaries, ["OPEN offline robot-02 #42"])
    }

    func testRestoreStartsFromTheStoredNextId() {
        let rig = EngineRig(restored: RestoredState(nextIncidentID: 100))
        rig.connect(at: 0)
        rig.beat(robot, at: 0.5)
        XCTAssertEqual(rig.statusOffline(robot, at: 1).eventSummaries, ["OPEN offline robot-01 #100"])
    }

    func testARestoredIncidentWhoseConditionIsAlreadyClearResolvesAfterResolveAfter() {
        var state = restoredOfflineRobot()
        state.devices[0].state = .online
        let rig = EngineRig(restored: state)
        rig.connect(at: 0)
        let effects = rig.run(to: 30, beating: [robot], every: 5)
        XCTAssertEqual(effects.eventSummaries, ["RESOLVE offline robot-01 #41"])
    }

    func testARestoredDeviceThatIsNotHeardAgainGoesOfflineAtGraceEnd() {
        var state = RestoredState()
        state.devices = [
            DeviceRecord(
                id: "robot-01", site: "tianshan", kind: "delivery-robot", inventory: false,
                state: .online, stateSince: 1_795_650_000, lastSeen: 1_795_650_000)
        ]
        let rig = EngineRig(restored: state)
        rig.connect(at: 0)
        XCTAssertEqual(rig.run(to: 59), [])
        XCTAssertEqual(rig.tick(at: 60).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    // MARK: rejections change no state

    func testAnUnknownKindIsRejectedAndChangesNothing() {
        let rig = EngineRig()
        rig.connect(at: 0)
        let teapot = DeviceTopic(site: "tianshan", kind: "teapot", device: "pot-1", channel: .heartbeat)
        XCTAssertEqual(
            rig.engine.heartbeatReceived(Heartbeat(), on: teapot, at: rig.moment(1)).failureReason,
            .unknownKind)
        XCTAssertEqual(
            rig.engine.statusReceived(online: false, on: teapot, at: rig.moment(2)).failureReason,
            .unknownKind)
        XCTAssertEqual(rig.engine.deviceCount, 0)
        XCTAssertNil(rig.engine.device("pot-1"))
        XCTAssertEqual(rig.engine.takeLastSeenUpdates().count, 0)
        XCTAssertEqual(rig.run(to: 200), [])
    }

    func testDevicesBeyondMaxDevicesAreRefusedButKnownOnesStillCount() {
        let rig = EngineRig {
            $0.detection.maxDevices = 2
            $0.devices = [InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot")]
        }
        rig.connect(at: 0)
        rig.beat(.robot("robot-02"), at: 1)
        let third = DeviceTopic.robot("robot-03")
        XCTAssertEqual(
            rig.engine.heartbeatReceived(Heartbeat(), on: third, at: rig.moment(2)).failureReason,
            .deviceLimit)
        XCTAssertEqual(
            rig.engine.statusReceived(online: false, on: third, at: rig.moment(2)).failureReason,
            .unknownDevice, "a status registers nothing, within the limit or not")
        XCTAssertEqual(rig.engine.deviceCount, 2)
        XCTAssertNil(rig.engine.device("robot-03"))
        XCTAssertEqual(rig.beat(robot, at: 3).savedDevices.map(\.state), [.online])
    }

    func testAMessageUnderAnotherSiteOrKindThanTheInventoryIsRejectedAndChangesNothing() throws {
        let rig = EngineRig { $0.devices = [InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot")] }
        let before = try XCTUnwrap(rig.engine.device("robot-01"))
        rig.connect(at: 0)
        let elsewhere = DeviceTopic.robot("robot-01", site: "central")
        let otherKind = DeviceTopic(site: "tianshan", kind: "face-gate", device: "robot-01", channel: .heartbeat)
        var beat = Heartbeat()
        beat.health = .fault
        XCTAssertEqual(
            rig.engine.heartbeatReceived(beat, on: elsewhere, at: rig.moment(1)).failureReason,
            .inventoryMismatch)
        XCTAssertEqual(
            rig.engine.heartbeatReceived(beat, on: otherKind, at: rig.moment(1)).failureReason,
            .inventoryMismatch)
        XCTAssertEqual(
            rig.engine.statusReceived(online: false, on: elsewhere, at: rig.moment(2)).failureReason,
            .inventoryMismatch)
        XCTAssertEqual(rig.engine.device("robot-01"), before)
        XCTAssertEqual(rig.engine.takeLastSeenUpdates().count, 0)
        XCTAssertEqual(rig.engine.unresolvedIncidents, [])
    }

    /// The daemon's path: devices resolved from the topic's bytes (`RawDeviceTopic`).
    func testDevicesResolvedFromTopicBytesRegisterOnceAndRejectAnotherSiteOrKind() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        let parser = TopicParser(prefix: "library")
        func resolve(_ topic: String) -> Result<Int32, Rejection> {
            Array(topic.utf8).withUnsafeBufferPointer { bytes in
                rig.engine.resolveDevice(try! parser.parseRaw(bytes).get(), at: rig.moment(1))
            }
        }
        let long = "library/tianshan/delivery-robot/robot-site042-000123/heartbeat"  // id over 15 bytes
        let first = try resolve(long).get()
        XCTAssertEqual(try resolve(long).get(), first)
        XCTAssertEqual(try resolve("library/tianshan/delivery-robot/robot-site042-000123/status").get(), first)
        let other = try resolve("library/tianshan/delivery-robot/robot-01/heartbeat").get()
        XCTAssertNotEqual(other, first)
        XCTAssertEqual(rig.engine.device("robot-site042-000123")?.site, "tianshan")
        for elsewhere in [
            "library/central/delivery-robot/robot-site042-000123/heartbeat",
            "library/tianshan/face-gate/robot-site042-000123/heartbeat",
        ] {
            XCTAssertEqual(resolve(elsewhere).failureReason, .inventoryMismatch, elsewhere)
        }
        XCTAssertEqual(rig.engine.device("robot-site042-000123")?.kind, "delivery-robot")
        XCTAssertEqual(rig.engine.stateCounts().values.reduce(0, +), 2)
    }

    func testADeviceRegisteredByItsFirstHeartbeatKeepsItsSiteAndKind() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        XCTAssertEqual(
            rig.engine.heartbeatReceived(
                Heartbeat(), on: .robot("robot-01", site: "central"),
                at: rig.moment(2)
            ).failureReason, .inventoryMismatch)
        XCTAssertEqual(rig.engine.device("robot-01")?.site, "tianshan")
        XCTAssertEqual(rig.engine.device("robot-01")?.inventory, false)
    }

    // MARK: the device's own interval

    func testADevicesOwnIntervalOverridesItsKindsTimeout() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100) { $0.intervalSeconds = 2 }
        rig.run(to: 105)
        XCTAssertEqual(rig.tick(at: 105.999), [])
        let effects = rig.tick(at: 106)
        XCTAssertEqual(effects.eventSummaries, ["OPEN offline robot-01 #1"])
        XCTAssertEqual(effects.announced.first?.field("msg"), "no heartbeat for 6s (expected every 2s)")
    }

    func testALongerOwnIntervalDelaysOffline() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100) { $0.intervalSeconds = 60 }
        XCTAssertEqual(rig.run(to: 279), [])
        XCTAssertEqual(rig.tick(at: 280).announced.first?.field("msg"), "no heartbeat for 180s (expected every 60s)")
    }

    func testTheOwnIntervalStaysUntilTheDeviceSendsAnother() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100) { $0.intervalSeconds = 60 }
        rig.run(to: 150)
        rig.beat(robot, at: 150)  // no interval_s: the device's own period still holds
        XCTAssertEqual(rig.run(to: 329), [])
        XCTAssertEqual(rig.tick(at: 330).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    // MARK: health

    func testHealthDegradedOpensAP2AndOkClearsIt() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        let effects = rig.beat(robot, at: 2) { $0.health = .degraded }
        XCTAssertEqual(rig.state("robot-01"), .degraded)
        XCTAssertEqual(effects.eventSummaries, ["OPEN degraded robot-01 #1"])
        let open = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(open.priority, .p2)
        XCTAssertEqual(open.field("msg"), "device reports health degraded")

        rig.beat(robot, at: 3)
        XCTAssertEqual(rig.state("robot-01"), .online)
        XCTAssertEqual(rig.run(to: 32, beating: [robot], every: 1).eventSummaries, [])
        XCTAssertEqual(rig.run(to: 33, beating: [robot], every: 1).eventSummaries, ["RESOLVE degraded robot-01 #1"])
    }

    func testHealthFaultOpensItsOwnIncident() {
        let rig = EngineRig()
        rig.connect(at: 0)
        let effects = rig.beat(robot, at: 1) { $0.health = .fault }
        XCTAssertEqual(effects.eventSummaries, ["OPEN fault robot-01 #1"])
        XCTAssertEqual(effects.announced.first?.priority, .p2)
        XCTAssertEqual(rig.state("robot-01"), .degraded)
    }

    func testFaultTurningIntoDegradedSwapsTheIncidents() {
        let rig = EngineRig { $0.detection.resolveAfterSeconds = 10 }
        rig.connect(at: 0)
        rig.beat(robot, at: 1) { $0.health = .fault }
        XCTAssertEqual(rig.beat(robot, at: 2) { $0.health = .degraded }.eventSummaries, ["OPEN degraded robot-01 #2"])
        var effects: [EngineEffect] = []
        for t in stride(from: 3.0, through: 13, by: 1) {
            effects += rig.beat(robot, at: t) { $0.health = .degraded }
            effects += rig.tick(at: t)
        }
        XCTAssertEqual(effects.eventSummaries, ["RESOLVE fault robot-01 #1"])
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.rule), ["degraded"])
    }

    func testAnOfflineDeviceThatComesBackDegradedClearsOfflineAndOpensDegraded() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.statusOffline(robot, at: 2)
        let effects = rig.beat(robot, at: 3) { $0.health = .degraded }
        XCTAssertEqual(effects.eventSummaries, ["OPEN degraded robot-01 #2"])
        XCTAssertEqual(rig.state("robot-01"), .degraded)
        var later: [EngineEffect] = []
        for t in stride(from: 4.0, through: 40, by: 1) {
            later += rig.beat(robot, at: t) { $0.health = .degraded }
            later += rig.tick(at: t)
        }
        XCTAssertEqual(later.eventSummaries, ["RESOLVE offline robot-01 #1"])
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.rule), ["degraded"])
    }

    // MARK: SLA

    func testOpenEventsCarryRespondByFromTheServiceCalendar() throws {
        // Offline at t = 130 is 21:30:04 local: the answer is due 10:30:04 the next day (SPEC §6).
        let rig = EngineRig(wallAtZero: 1_795_699_804 - 130)
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(robot, at: 100)
        rig.run(to: 129)
        let effects = rig.tick(at: 130)
        let incident = try XCTUnwrap(effects.savedIncidents.first)
        XCTAssertEqual(incident.respondBy, 1_795_746_604)
        let open = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(open.field("respond_by"), "2026-11-27T10:30:04+08:00")
        XCTAssertEqual(
            open.textLine(TimeFormat(zoneIdentifier: "Asia/Shanghai")),
            "2026-11-26T21:30:04.000+08:00 OPEN P2 INC-000001 rule=offline site=tianshan "
                + "kind=delivery-robot device=robot-01 respond_by=2026-11-27T10:30:04+08:00 "
                + "resolve_by=2026-11-29T21:30:04+08:00 msg=\"no heartbeat for 30s (expected every 10s)\"")
    }

    func testRespondByFollowsTheConfiguredCalendar() throws {
        // Opened Thursday 10:00 Shanghai time with a one-hour response and a UTC office 09:00-17:00.
        let rig = EngineRig {
            $0.sla.timezone = "UTC"
            $0.sla.serviceHours = [ServiceRange(startMinute: 9 * 60, endMinute: 17 * 60)]
            $0.sla.respondWithinSeconds = 3600
        }
        rig.connect(at: 0)
        rig.beat(robot, at: 0)
        let incident = try XCTUnwrap(rig.statusOffline(robot, at: 0).savedIncidents.first)
        // 2026-11-26T02:00Z is before the UTC office opens: 09:00Z + 1 h.
        XCTAssertEqual(try XCTUnwrap(incident.respondBy), try XCTUnwrap(RFC3339.parse("2026-11-26T10:00:00Z")))
    }

    // MARK: bookkeeping

    func testClockSkewIsFlaggedButDoesNotMakeADeviceOffline() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1) { $0.timestamp = rig.wall(1) }
        let skewed = rig.beat(robot, at: 2) { $0.timestamp = rig.wall(2) - 121 }
        XCTAssertEqual(skewed.savedDevices.map(\.clockSkewed), [true])
        XCTAssertEqual(skewed.announced, [])
        XCTAssertEqual(
            rig.beat(robot, at: 3) { $0.timestamp = rig.wall(3) + 119 }.savedDevices.map(\.clockSkewed),
            [false])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    func testLastSeenIsReportedOncePerBatchWithTheLatestTime() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.beat(.gate("gate-1"), at: 1.5)
        rig.beat(robot, at: 2)
        let updates = rig.engine.takeLastSeenUpdates()
        XCTAssertEqual(updates.map(\.0), ["robot-01", "gate-1"])
        XCTAssertEqual(updates.map(\.1), [rig.wall(2), rig.wall(1.5)])
        XCTAssertEqual(rig.engine.takeLastSeenUpdates().count, 0)
        rig.beat(robot, at: 3)
        XCTAssertEqual(rig.engine.takeLastSeenUpdates().map(\.1), [rig.wall(3)])
    }

    func testCountsByStateAndPriority() {
        let rig = EngineRig { $0.devices = [InventoryDevice(id: "locker-1", site: "tianshan", kind: "pickup-locker")] }
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.beat(.gate("gate-1"), at: 1) { $0.health = .fault }
        rig.beat(.robot("robot-02"), at: 1.5)
        rig.statusOffline(.robot("robot-02"), at: 2)
        XCTAssertEqual(rig.engine.stateCounts(), [.unknown: 1, .online: 1, .degraded: 1, .offline: 1])
        XCTAssertEqual(rig.engine.openIncidentCounts(), [.p2: 2])
    }

    func testReloadKeepsDevicesAndIncidentsAndRegistersNewInventory() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(robot, at: 1)
        rig.beat(.robot("robot-03"), at: 1)
        rig.beat(.robot("robot-02"), at: 1.5)
        rig.statusOffline(.robot("robot-02"), at: 2)
        var next = rig.engine.configuration
        next.devices = [InventoryDevice(id: "gate-9", site: "central", kind: "face-gate")]
        let effects = rig.engine.reload(next, at: rig.moment(3))
        XCTAssertEqual(effects.savedDevices.map(\.id), ["gate-9"])
        XCTAssertEqual(rig.engine.deviceCount, 4)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [1])
        XCTAssertEqual(rig.state("robot-01"), .online)
    }

    func testReloadWithALongerKindIntervalDelaysOffline() {
        let rig = robotHeardAt100()
        var next = rig.engine.configuration
        next.kinds["delivery-robot"]?.intervalSeconds = 20
        _ = rig.engine.reload(next, at: rig.moment(129))
        XCTAssertEqual(rig.run(to: 159), [])
        XCTAssertEqual(rig.tick(at: 160).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    // MARK: found in round 1 (the comments describe the code as it was)

    /// DetectionEngine+Messages.swift `applyHealth` with DetectionEngine.swift `TrackedDevice.health`
    /// (always `.ok` after a restart): a device restored in state `degraded` that reports `ok`
    /// hits `guard wasDown || previousHealth != health else { return }` and stays degraded with
    /// its incident open forever.
    func testARestoredDegradedDeviceThatReportsOkRecovers() {
        let record = DeviceRecord(
            id: "robot-01", site: "tianshan", kind: "delivery-robot", inventory: false,
            state: .degraded, stateSince: 1_795_650_000, lastSeen: 1_795_650_000)
        let incident = Incident(
            id: 7, priority: .p2, rule: "degraded", scope: .device, site: "tianshan",
            kind: "delivery-robot", device: "robot-01", openedAt: 1_795_650_000,
            summary: "device reports health degraded", announced: true)
        let rig = EngineRig(
            restored: RestoredState(
                devices: [record], unresolvedIncidents: [incident],
                nextIncidentID: 8))
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        rig.beat(robot, at: 1) { $0.health = .ok }
        XCTAssertEqual(rig.state("robot-01"), .online)
        let effects = rig.run(to: 40, beating: [robot], every: 5)
        XCTAssertEqual(effects.eventSummaries, ["RESOLVE degraded robot-01 #7"])
    }

    /// DetectionEngine+Messages.swift, `interval_s` handling: a shorter timeout is stored but the
    /// device's entry in the deadline heap keeps the old, later deadline (the lazy heap only
    /// copes with deadlines moving later), so offline is declared at the old deadline.
    func testADeviceThatShortensItsOwnIntervalGoesOfflineByTheNewTimeout() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        let robot = DeviceTopic.robot()
        rig.beat(robot, at: 100)  // kind default: offline at 130
        rig.run(to: 101)
        rig.beat(robot, at: 101) { $0.intervalSeconds = 2 }  // now offline at 107
        XCTAssertEqual(rig.run(to: 106), [])
        XCTAssertEqual(rig.tick(at: 107).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    /// DetectionEngine+Reload.swift: the same for a reload that shortens a kind's interval.
    func testAReloadThatShortensAKindsIntervalTakesEffectForHeardDevices() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(.robot(), at: 100)  // offline at 130 with 10 s × 3
        rig.run(to: 101)
        var next = rig.engine.configuration
        next.kinds["delivery-robot"]?.intervalSeconds = 2  // 6 s: offline at 106
        _ = rig.engine.reload(next, at: rig.moment(101))
        XCTAssertEqual(rig.run(to: 105), [])
        XCTAssertEqual(rig.tick(at: 106).eventSummaries, ["OPEN offline robot-01 #1"])
    }
}

extension Result where Failure == Rejection {
    var failureReason: RejectReason? {
        if case .failure(let r) = self { r.reason } else { nil }
    }

}
