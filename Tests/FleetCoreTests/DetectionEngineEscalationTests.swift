import XCTest

@testable import FleetCore

/// Outages, grouping, repeated failures, flapping, metric rules and the watcher's own incidents
/// (SPEC §5), on the shipped configuration unless a test says otherwise.
final class DetectionEngineEscalationTests: XCTestCase {
    private static let tianshan: [DeviceTopic] = [.robot("robot-01"), .robot("robot-02"), .gate("gate-1")]
    private static let central: [DeviceTopic] = [
        .robot("robot-11", site: "central"),
        DeviceTopic(site: "central", kind: "pickup-locker", device: "locker-11", channel: .heartbeat),
        DeviceTopic(site: "central", kind: "digital-human", device: "human-11", channel: .heartbeat),
    ]
    private static let fleet = tianshan + central

    /// Six devices at two sites, all beating every 10 s up to t = 100 (connected at 0).
    private func sixDevices(_ configure: (inout Configuration) -> Void = { _ in }) -> EngineRig {
        let rig = EngineRig(outages: true, configure)
        rig.connect(at: 0)
        XCTAssertEqual(rig.run(to: 100, beating: Self.fleet).announced, [])
        return rig
    }

    private func beatingExcept(_ ids: Set<String>) -> [DeviceTopic] { Self.fleet.filter { !ids.contains($0.device) } }

    private func incident(_ rig: EngineRig, rule: RuleID, device: String? = nil, site: String? = nil) -> Incident? {
        rig.engine.unresolvedIncidents.first {
            $0.rule == rule && (device == nil || $0.device == device) && (site == nil || $0.site == site)
        }
    }

    // MARK: grouping

    func testALoneDeviceIncidentIsAnnouncedOnlyAfterGroupWait() {
        let rig = sixDevices()
        let others = beatingExcept(["robot-01"])
        XCTAssertEqual(rig.run(to: 130, beating: others).announced, [])
        XCTAssertEqual(rig.engine.device("robot-01")?.state, .offline)
        XCTAssertNotNil(incident(rig, rule: "offline", device: "robot-01"))
        XCTAssertEqual(rig.run(to: 139, beating: others).announced, [])
        XCTAssertEqual(rig.tick(at: 139.9), [])
        XCTAssertEqual(rig.tick(at: 140).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    func testASiteOutageIsOneP1LineNotOneLinePerDevice() throws {
        let rig = sixDevices()
        let others = beatingExcept(["robot-01", "robot-02"])
        let effects = rig.run(to: 200, beating: others)
        XCTAssertEqual(
            effects.priorityLines,
            ["OPEN P1 site-outage"])
        let open = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(open.field("site"), "tianshan")
        XCTAssertEqual(open.time, rig.wall(140))  // the site incident, too, waited group_wait_s

        let outage = try XCTUnwrap(incident(rig, rule: "site-outage", site: "tianshan"))
        XCTAssertEqual(outage.priority, .p1)
        XCTAssertEqual(outage.scope, .site)
        XCTAssertEqual(incident(rig, rule: "offline", device: "robot-01")?.parent, outage.id)
        XCTAssertEqual(incident(rig, rule: "offline", device: "robot-02")?.parent, outage.id)
        XCTAssertEqual(incident(rig, rule: "core-down", site: "tianshan")?.parent, outage.id)
        XCTAssertEqual(rig.engine.unresolvedIncidents.filter { $0.parent == nil }.map(\.id), [outage.id])
    }

    func testAnAnnouncedDeviceIncidentTakenInByALaterOutageBecomesItsChildWithoutANewLine() throws {
        let rig = sixDevices()
        var lines = rig.run(to: 150, beating: beatingExcept(["robot-01"]))
        lines += rig.run(to: 250, beating: beatingExcept(["robot-01", "robot-02"]))
        let outage = try XCTUnwrap(incident(rig, rule: "site-outage"))
        XCTAssertEqual(lines.eventSummaries, ["OPEN offline robot-01 #1", "OPEN site-outage - #\(outage.id)"])
        XCTAssertEqual(incident(rig, rule: "offline", device: "robot-01")?.parent, outage.id)
    }

    func testWhenTheSiteRecoversOnlyTheOutageResolvesOnTheLog() {
        let rig = sixDevices()
        rig.run(to: 200, beating: beatingExcept(["robot-01", "robot-02"]))
        let effects = rig.run(to: 300, beating: Self.fleet)
        XCTAssertEqual(effects.announced.map { "\($0.kind.rawValue) \($0.field("rule")!)" }, ["RESOLVE site-outage"])
        XCTAssertEqual(rig.engine.unresolvedIncidents, [])
        XCTAssertEqual(
            effects.savedIncidents.filter { $0.status == .resolved }.map(\.rule).sorted(),
            ["core-down", "offline", "offline", "site-outage"])
    }

    func testWhenTheOutageResolvesAChildStillOfflineStandsAloneAndIsAnnouncedThen() throws {
        let rig = sixDevices()
        rig.run(to: 200, beating: beatingExcept(["robot-01", "robot-02"]))
        // robot-02 comes back: 1 of 3 offline, below the ratio; robot-01 stays down.
        let effects = rig.run(to: 300, beating: beatingExcept(["robot-01"]))
        XCTAssertEqual(
            effects.announced.map { "\($0.kind.rawValue) \($0.field("rule")!) \($0.field("device") ?? "-")" },
            ["RESOLVE site-outage -", "OPEN offline robot-01"])
        let alone = try XCTUnwrap(incident(rig, rule: "offline", device: "robot-01"))
        XCTAssertNil(alone.parent)
        XCTAssertTrue(alone.announced)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [alone.id])
    }

    func testAFleetOutageIsAnnouncedAtOnceAndTakesInEverythingElse() throws {
        let rig = sixDevices()
        let down: Set = ["robot-01", "robot-02", "robot-11"]  // 3 of 6
        XCTAssertEqual(rig.run(to: 129, beating: beatingExcept(down)), [])
        XCTAssertEqual(
            rig.tick(at: 130).priorityLines,
            ["OPEN P1 fleet-outage"])
        XCTAssertEqual(rig.run(to: 200, beating: beatingExcept(down)).announced, [])
        let fleet = try XCTUnwrap(incident(rig, rule: "fleet-outage"))
        XCTAssertEqual(fleet.scope, .fleet)
        for other in rig.engine.unresolvedIncidents where other.id != fleet.id {
            XCTAssertEqual(other.parent, fleet.id, "\(other.rule) \(other.device ?? other.site ?? "")")
        }
        XCTAssertNotNil(incident(rig, rule: "core-down", site: "central"))
    }

    func testEveryCoreDeviceOfAKindOfflineIsACoreDown() throws {
        // Both robots of tianshan, in a site big enough that two offline is not a site outage.
        let rig = EngineRig(outages: true)
        rig.connect(at: 0)
        let extra = (1...4).map {
            DeviceTopic(
                site: "tianshan", kind: "digital-human", device: "human-\($0)",
                channel: .heartbeat)
        }
        let all = Self.fleet + extra
        rig.run(to: 100, beating: all)
        let effects = rig.run(to: 200, beating: all.filter { !$0.device.hasPrefix("robot-0") })
        XCTAssertEqual(
            effects.priorityLines,
            ["OPEN P1 core-down"])
        let open = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(open.field("site"), "tianshan")
        XCTAssertEqual(open.field("kind"), "delivery-robot")
    }

    // MARK: repeated failure

    func testTheThirdFailureWithinTheWindowOpensAsP1RepeatedFailure() throws {
        let rig = EngineRig {
            $0.detection.resolveAfterSeconds = 5
            $0.detection.flapChanges = 100  // six state changes in a minute would be flapping
        }
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        var lines: [EngineEffect] = []
        for round in 0..<3 {
            let t = Double(round) * 20 + 1
            rig.beat(robot, at: t)
            lines += rig.statusOffline(robot, at: t + 1)
            rig.beat(robot, at: t + 2)
            for s in stride(from: t + 3, through: t + 19, by: 1) {
                rig.beat(robot, at: s)
                lines += rig.tick(at: s)
            }
        }
        XCTAssertEqual(
            zip(lines.priorityLines, lines.announced).map { "\($0) #\($1.incidentID)" },
            [
                "OPEN P2 offline #1", "RESOLVE P2 offline #1", "OPEN P2 offline #2", "RESOLVE P2 offline #2",
                "OPEN P1 repeated-failure #3", "RESOLVE P1 repeated-failure #3",
            ])
    }

    /// The other path of `repeated-failure`: relapses while the incident is still open (the
    /// device came back, but not for `resolve_after_s`) count as failures too, and the one that
    /// reaches `repeat_failures` raises the open incident to P1 with an ESCALATE line.
    func testRelapsesOfAnOpenIncidentEscalateItToP1() throws {
        let rig = EngineRig {
            $0.detection.resolveAfterSeconds = 60
            $0.detection.flapChanges = 100
            $0.escalation.repeatFailures = 3
        }
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        var lines: [EngineEffect] = []
        for round in 0..<3 {
            let t = Double(round) * 4 + 1
            rig.beat(robot, at: t)
            lines += rig.statusOffline(robot, at: t + 1)
            lines += rig.beat(robot, at: t + 2)
        }
        XCTAssertEqual(
            zip(lines.priorityLines, lines.announced).map { "\($0) #\($1.incidentID)" },
            ["OPEN P2 offline #1", "UPDATE P2 offline #1", "ESCALATE P1 offline #1"])
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.priority), [.p1])
        XCTAssertEqual(lines.announced.last?.field("reason"), "repeated-failure")
    }

    // MARK: flapping

    func testAFlappingDeviceKeepsOneIncidentWithOneFlappingLine() {
        let rig = EngineRig {
            $0.detection.flapChanges = 6
            $0.detection.flapWindowSeconds = 600
            $0.escalation.repeatFailures = 100
        }
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        let offlineAt: Set<Double> = [10, 30, 50, 70, 90]
        let beatAt = Set<Double>([1, 20, 40, 60, 80]).union(stride(from: 100.0, through: 800, by: 10))
        var timeline: [(Double, AlertEvent)] = []
        for t in stride(from: 1.0, through: 800, by: 1) {
            var effects: [EngineEffect] = []
            if offlineAt.contains(t) { effects += rig.status(online: false, robot, at: t) }
            if beatAt.contains(t) { effects += rig.beat(robot, at: t) }
            effects += rig.tick(at: t)
            timeline += effects.announced.map { (t, $0) }
        }
        XCTAssertEqual(
            timeline.map { "\($0.1.kind.rawValue) #\($0.1.incidentID)" },
            ["OPEN #1", "UPDATE #1", "UPDATE #1", "FLAPPING #1", "RESOLVE #1"])
        XCTAssertEqual(timeline.first { $0.1.kind == .flapping }?.0, 60)  // the sixth change
        XCTAssertGreaterThanOrEqual(timeline.last?.0 ?? 0, 90 + 600)  // stable a whole window first
    }

    // MARK: metric rules

    func testAMetricRuleOpensOnlyAfterHoldingForItsDuration() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        var lines: [(Double, AlertEvent)] = []
        for t in stride(from: 10.0, through: 200, by: 10) {
            let battery = Metric(name: "battery_pct", value: .number(t < 100 ? 10 : 50))
            let effects = rig.beat(robot, at: t) { $0.metrics = [battery] } + rig.run(to: t + 9)
            lines += effects.announced.map { (t, $0) }
        }
        XCTAssertEqual(
            lines.map { "\($0.0) \($0.1.kind.rawValue) \($0.1.priority.rawValue) \($0.1.field("rule")!)" },
            ["70.0 OPEN P2 battery-low", "130.0 RESOLVE P2 battery-low"])
        XCTAssertEqual(lines.first?.1.field("msg"), "battery_pct 10 below 15 for 60s")
        XCTAssertEqual(rig.engine.device("robot-01")?.state, .online)
    }

    func testAHeartbeatWithoutTheMetricNeitherStartsNorResetsARule() {
        let rig = EngineRig()
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        var effects: [EngineEffect] = []
        for t in stride(from: 10.0, through: 70, by: 10) {
            let metrics = t == 40 ? [] : [Metric(name: "battery_pct", value: .number(5))]
            effects += rig.beat(robot, at: t) { $0.metrics = metrics }
            effects += rig.run(to: t + 9)
        }
        XCTAssertEqual(effects.eventSummaries, ["OPEN battery-low robot-01 #1"])
    }

    func testAConfiguredRuleReplacesTheBuiltInRuleOfTheSameName() {
        let rig = EngineRig {
            $0.kinds["delivery-robot"]?.rules = [
                MetricRule(
                    name: "battery-low", metric: "battery_pct",
                    condition: .below(20), forSeconds: 0, priority: .p1)
            ]
        }
        rig.connect(at: 0)
        let effects = rig.beat(.robot(), at: 1) { $0.metrics = [Metric(name: "battery_pct", value: .number(18))] }
        XCTAssertEqual(
            effects.priorityLines,
            ["OPEN P1 battery-low"])
    }

    func testRuleConditionsCompareByType() {
        XCTAssertTrue(MetricRule.Condition.below(15).holds(for: .number(14.9)))
        XCTAssertFalse(MetricRule.Condition.below(15).holds(for: .number(15)))
        XCTAssertTrue(MetricRule.Condition.above(0).holds(for: .number(1)))
        XCTAssertFalse(MetricRule.Condition.above(0).holds(for: .number(0)))
        XCTAssertFalse(MetricRule.Condition.below(15).holds(for: .string("10")))
        XCTAssertTrue(MetricRule.Condition.equals(.bool(false)).holds(for: .bool(false)))
        XCTAssertFalse(MetricRule.Condition.equals(.bool(false)).holds(for: .number(0)))
        XCTAssertTrue(MetricRule.Condition.equals(.string("full")).holds(for: .string("full")))
    }

    // MARK: the watcher's own storage

    func testAStorageFailureIsAP1AboutTheCollectorAndResolvesAfterRecovery() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 10)
        let effects = rig.engine.storageDidFail("database is locked", at: rig.moment(10))
        XCTAssertEqual(
            effects.priorityLines,
            ["OPEN P1 storage-failure"])
        XCTAssertTrue(rig.engine.storageFailing)
        XCTAssertEqual(rig.engine.storageDidFail("database is locked", at: rig.moment(11)), [])
        _ = rig.engine.storageDidRecover(at: rig.moment(20))
        XCTAssertEqual(rig.run(to: 49).announced, [])
        XCTAssertEqual(rig.tick(at: 50).eventSummaries, ["RESOLVE storage-failure - #1"])
    }
}
