import XCTest

@testable import FleetCore

/// Link quality, error codes and the broker's counters through the whole engine: the incidents
/// and lines SPEC §11 asks for, with the usual lifecycle.
final class LinkQualityEngineTests: XCTestCase {
    private let robot = DeviceTopic.robot()
    private let locker = DeviceTopic(site: "tianshan", kind: "pickup-locker", device: "locker-01", channel: .heartbeat)

    /// `OPEN P2 rule=data-loss device=robot-01 code=… errors=…` of each announced line.
    private func lines(_ effects: [EngineEffect]) -> [String] {
        effects.announced.map { e in
            ([e.kind.rawValue, e.priority.rawValue]
                + e.fields.compactMap {
                    ["rule", "device", "code", "errors"].contains($0.key) ? "\($0.key)=\($0.value)" : nil
                }).joined(separator: " ")
        }
    }

    private func connected(_ configure: (inout Configuration) -> Void = { _ in }) -> EngineRig {
        let rig = EngineRig(configure)
        rig.connect(at: 0)
        return rig
    }

    // MARK: data-loss

    func testADeviceLosingEveryOtherHeartbeatOpensDataLossAndResolvesWhenTheLinkHeals() throws {
        let rig = connected {
            $0.kinds["delivery-robot"]?.intervalSeconds = 1
            $0.detection.qualityWindowSeconds = 60
        }
        var effects: [EngineEffect] = []
        for n in 0..<30 {  // a heartbeat every second, every other one lost
            effects += rig.beat(robot, at: Double(n)) { $0.seq = Int64(2 * n) }
            effects += rig.tick(at: Double(n) + 0.5)
        }
        XCTAssertEqual(lines(effects), ["OPEN P2 rule=data-loss device=robot-01"])
        let open = try XCTUnwrap(effects.announced.first)
        // The first heartbeat only starts the count, and the window decays a little: 21 expected.
        XCTAssertEqual(open.field("msg"), "10 of 21 expected heartbeats lost (48%) within about 60s")
        let detail = try XCTUnwrap(rig.engine.detail(of: "robot-01", at: rig.moment(29.5)))
        XCTAssertEqual(detail.quality.lossRatio, 0.5, accuracy: 0.05)
        XCTAssertEqual(detail.openIncidents, [1])
        XCTAssertEqual(rig.engine.devicesWithDataLoss, 1)

        effects = []
        for n in 30..<200 {  // healed: every heartbeat arrives
            effects += rig.beat(robot, at: Double(n)) { $0.seq = Int64(30 + n) }
            effects += rig.tick(at: Double(n) + 0.5)
        }
        XCTAssertEqual(lines(effects), ["RESOLVE P2 rule=data-loss device=robot-01"])
        XCTAssertEqual(rig.engine.devicesWithDataLoss, 0)
    }

    /// SPEC §5: the watcher's own infrastructure failing is one collector incident, never a storm.
    /// Heartbeats sent while the broker was down are lost for everyone; they are no device's loss.
    func testHeartbeatsMissedWhileTheBrokerWasDownAreNotADevicesLoss() throws {
        let rig = connected {
            $0.kinds["delivery-robot"]?.intervalSeconds = 1
            $0.detection.qualityWindowSeconds = 60
        }
        var effects: [EngineEffect] = []
        for n in 0..<30 {
            effects += rig.beat(robot, at: Double(n)) { $0.seq = Int64(n) }
            effects += rig.tick(at: Double(n) + 0.5)
        }
        effects += rig.disconnect(at: 30)
        effects += rig.connect(at: 60)  // 30 heartbeats went nowhere meanwhile
        for n in 60..<90 {
            effects += rig.beat(robot, at: Double(n)) { $0.seq = Int64(n) }
            effects += rig.tick(at: Double(n) + 0.5)
        }
        XCTAssertEqual(lines(effects).filter { $0.contains("data-loss") }, [])
        let detail = try XCTUnwrap(rig.engine.detail(of: "robot-01", at: rig.moment(89.5)))
        XCTAssertEqual(detail.quality.lossRatio, 0, accuracy: 0.001)
    }

    func testTooFewExpectedHeartbeatsOpenNothingWhateverTheRatio() {
        let rig = connected { $0.detection.minExpected = 50 }
        var effects: [EngineEffect] = []
        for n in 0..<24 { effects += rig.beat(robot, at: Double(n)) { $0.seq = Int64(2 * n) } }
        XCTAssertEqual(lines(effects + rig.tick(at: 30)), [])
    }

    // MARK: reboot-loop

    func testADeviceRebootingEveryFourthHeartbeatOpensRebootLoopAndShowsNoLoss() throws {
        let rig = connected()
        var effects: [EngineEffect] = []
        for n in 0..<16 {
            let sinceBoot = n % 4
            effects += rig.beat(robot, at: Double(n) * 10) {
                $0.seq = Int64(sinceBoot)
                $0.uptimeSeconds = Double(sinceBoot * 10)
            }
            effects += rig.tick(at: Double(n) * 10 + 1)
        }
        XCTAssertEqual(lines(effects), ["OPEN P2 rule=reboot-loop device=robot-01"])
        XCTAssertEqual(effects.announced.first?.field("msg"), "3 reboots within 3600s")
        let quality = try XCTUnwrap(rig.engine.detail(of: "robot-01", at: rig.moment(151))).quality
        XCTAssertEqual(quality.reboots, 3)
        XCTAssertEqual(quality.lost, 0)
        XCTAssertEqual(rig.engine.linkTotals.reboots, 3)
    }

    // MARK: error codes

    func testACataloguedP1CodeOpensAnErrorIncidentWithItsCodeAndResolvesWhenTheCodeIsGone() throws {
        let rig = connected { $0.detection.resolveAfterSeconds = 5 }
        var effects = rig.beat(locker, at: 10) { $0.errors = ["E_DOOR_JAM"] }
        XCTAssertEqual(lines(effects), ["OPEN P1 rule=error device=locker-01 code=E_DOOR_JAM"])
        let open = try XCTUnwrap(effects.announced.first)
        XCTAssertEqual(
            open.fields.map(\.key), ["rule", "site", "kind", "device", "code", "respond_by", "resolve_by", "msg"])
        XCTAssertEqual(open.field("msg"), "E_DOOR_JAM: a locker door is jammed")
        XCTAssertEqual(effects.savedIncidents.last?.code, "E_DOOR_JAM")

        effects = rig.beat(locker, at: 20) { $0.errors = ["E_DOOR_JAM"] }
        XCTAssertEqual(effects, [], "still reported: nothing new")
        rig.beat(locker, at: 30)  // the code is gone
        XCTAssertEqual(lines(rig.run(to: 34)), [])
        let resolved = rig.run(to: 35)
        XCTAssertEqual(lines(resolved), ["RESOLVE P1 rule=error device=locker-01 code=E_DOOR_JAM"])
    }

    func testOneIncidentPerDeviceAndCode() {
        let rig = connected()
        let effects = rig.beat(locker, at: 10) { $0.errors = ["E_LOCK", "E_DOOR_JAM", "E_SCANNER"] }
        XCTAssertEqual(
            lines(effects),
            [
                "OPEN P1 rule=error device=locker-01 code=E_DOOR_JAM",
                "OPEN P2 rule=error device=locker-01 code=E_LOCK",
            ])
        XCTAssertEqual(rig.engine.unresolvedIncidents.count, 2)
        let other = DeviceTopic(site: "tianshan", kind: "pickup-locker", device: "locker-02", channel: .heartbeat)
        XCTAssertEqual(
            lines(rig.beat(other, at: 11) { $0.errors = ["E_DOOR_JAM"] }),
            ["OPEN P1 rule=error device=locker-02 code=E_DOOR_JAM"])
    }

    func testAFaultCarriesTheActiveErrorCodesOnItsOpenAndUpdateLines() throws {
        let rig = connected()
        var effects = rig.beat(robot, at: 10) {
            $0.health = .fault
            $0.errors = ["E_BATTERY_TEMP"]
        }
        XCTAssertEqual(lines(effects), ["OPEN P2 rule=fault device=robot-01 errors=E_BATTERY_TEMP"])
        XCTAssertEqual(
            effects.announced.first?.fields.map(\.key),
            ["rule", "site", "kind", "device", "respond_by", "resolve_by", "errors", "msg"])
        effects = rig.beat(robot, at: 20) {
            $0.health = .fault
            $0.errors = ["E_MOTOR_STALL", "E_BATTERY_TEMP"]
        }
        XCTAssertEqual(
            lines(effects),
            [
                "UPDATE P2 rule=fault device=robot-01 errors=E_BATTERY_TEMP,E_MOTOR_STALL",
                "OPEN P2 rule=error device=robot-01 code=E_MOTOR_STALL",
            ])
        let fault = try XCTUnwrap(rig.engine.unresolvedIncidents.first { $0.rule == .fault })
        XCTAssertEqual(fault.errors, ["E_BATTERY_TEMP", "E_MOTOR_STALL"])
        XCTAssertEqual(
            rig.beat(robot, at: 30) {
                $0.health = .fault
                $0.errors = ["E_MOTOR_STALL", "E_BATTERY_TEMP"]
            }, [])
    }

    func testAFaultOpenedWhileCodesWereAlreadyActiveCarriesThem() {
        let rig = connected()
        rig.beat(robot, at: 10) { $0.errors = ["E_BUMPER"] }
        XCTAssertEqual(
            lines(
                rig.beat(robot, at: 20) {
                    $0.health = .degraded
                    $0.errors = ["E_BUMPER"]
                }),
            ["OPEN P2 rule=degraded device=robot-01 errors=E_BUMPER"])
    }

    func testAConfiguredCatalogOpensItsCodesAndAReloadThatRemovesThePriorityClears() {
        let rig = connected {
            $0.detection.resolveAfterSeconds = 1
            $0.kinds["pickup-locker"]?.errorCodes["E_SCANNER"] = ErrorCode("scanner dead", priority: .p2)
        }
        XCTAssertEqual(
            lines(rig.beat(locker, at: 10) { $0.errors = ["E_SCANNER"] }),
            ["OPEN P2 rule=error device=locker-01 code=E_SCANNER"])
        var next = rig.engine.configuration
        next.kinds["pickup-locker"]?.errorCodes["E_SCANNER"] = ErrorCode("scanner dead")
        XCTAssertEqual(lines(rig.engine.reload(next, at: rig.moment(11))), [])
        XCTAssertEqual(lines(rig.run(to: 13)), ["RESOLVE P2 rule=error device=locker-01 code=E_SCANNER"])
        next.kinds["pickup-locker"]?.errorCodes["E_SCANNER"] = ErrorCode("scanner dead", priority: .p1)
        XCTAssertEqual(
            lines(rig.engine.reload(next, at: rig.moment(14))), ["OPEN P1 rule=error device=locker-01 code=E_SCANNER"])
    }

    func testADeviceInMaintenanceOpensNoErrorIncident() throws {
        let rig = connected()
        rig.beat(locker, at: 1)
        _ = try rig.engine.addMaintenance(
            MaintenanceWindow(device: "locker-01", from: rig.wall(0), until: rig.wall(100)),
            at: rig.moment(2)
        ).get()
        XCTAssertEqual(lines(rig.beat(locker, at: 10) { $0.errors = ["E_DOOR_JAM"] }), [])
    }

    func testAnOperatorsResolveOfACodeStillReportedOpensANewIncident() throws {
        let rig = connected()
        rig.beat(locker, at: 10) { $0.errors = ["E_DOOR_JAM"] }
        let effects = try rig.engine.resolveByOperator(1, by: "li", note: nil, at: rig.moment(20)).get()
        XCTAssertEqual(
            lines(effects),
            [
                "RESOLVE P1 rule=error device=locker-01 code=E_DOOR_JAM",
                "OPEN P1 rule=error device=locker-01 code=E_DOOR_JAM",
            ])
    }

    // MARK: restart

    func testRestoredErrorAndLinkIncidentsResolveOnlyWhenTheDeviceSaysSo() throws {
        let first = connected { $0.detection.resolveAfterSeconds = 1 }
        var saved: [Incident] = []
        saved += first.beat(locker, at: 10) { $0.errors = ["E_DOOR_JAM"] }.savedIncidents
        for n in 0..<12 {
            saved += first.beat(robot, at: 20 + Double(n)) { $0.seq = Int64(100 + 2 * n) }.savedIncidents
        }
        let unresolved = Dictionary(saved.map { ($0.id, $0) }) { $1 }.values.filter { $0.status != .resolved }
        XCTAssertEqual(Set(unresolved.map(\.rule)), [.error, .dataLoss])
        let records = ["robot-01", "locker-01"].compactMap { first.engine.device($0) }

        let rig = EngineRig(
            restored: RestoredState(
                devices: records, unresolvedIncidents: Array(unresolved),
                nextIncidentID: 3)
        ) { $0.detection.resolveAfterSeconds = 1 }
        rig.connect(at: 0)
        XCTAssertEqual(lines(rig.run(to: 5)), [], "both hold until the devices say otherwise")
        rig.beat(locker, at: 6)
        for n in 0..<19 { rig.beat(robot, at: 6 + Double(n) * 0.1) { $0.seq = Int64(500 + n) } }
        XCTAssertEqual(
            lines(rig.run(to: 9)), ["RESOLVE P1 rule=error device=locker-01 code=E_DOOR_JAM"],
            "data-loss waits for min_expected heartbeats")
        rig.beat(robot, at: 9.5) { $0.seq = 519 }
        XCTAssertEqual(lines(rig.run(to: 11)), ["RESOLVE P2 rule=data-loss device=robot-01"])
    }

    // MARK: reading

    func testTheDetailOfADeviceHoldsWhatOnlyTheEngineKnows() throws {
        let rig = connected()
        rig.beat(robot, at: 10) {
            $0.seq = 7
            $0.uptimeSeconds = 3600
            $0.health = .degraded
            $0.firmware = "2.4.1"
            $0.errors = ["E_BUMPER"]
            $0.metrics = [Metric(name: "battery_pct", value: .number(87))]
            $0.timestamp = rig.wall(10) - 0.04
        }
        let d = try XCTUnwrap(rig.engine.detail(of: "robot-01", at: rig.moment(11)))
        XCTAssertEqual(d.record.state, .degraded)
        XCTAssertEqual(d.record.firmware, "2.4.1")
        XCTAssertEqual(d.health, .degraded)
        XCTAssertEqual(d.uptimeSeconds, 3600)
        XCTAssertEqual(d.errors, ["E_BUMPER"])
        XCTAssertEqual(d.metrics, [Metric(name: "battery_pct", value: .number(87))])
        XCTAssertEqual(d.quality.received, 1, accuracy: 0.01)
        XCTAssertEqual(d.quality.latencyP50 ?? 0, 40, accuracy: 0.5)
        XCTAssertEqual(d.windowSeconds, 3600)
        XCTAssertEqual(d.openIncidents, [1])
        XCTAssertTrue(d.live)
        XCTAssertNil(rig.engine.detail(of: "robot-99", at: rig.moment(11)))
    }

    func testQualityRowsAreWorstLossFirstAndFiltered() {
        let rig = connected()
        for (id, step) in [("robot-a", 1), ("robot-b", 3), ("robot-c", 2)] {
            for n in 0..<5 { rig.beat(.robot(id), at: Double(n)) { $0.seq = Int64(n * step) } }
        }
        rig.beat(.gate("gate-1"), at: 1)
        XCTAssertEqual(
            rig.engine.qualityRows(site: nil, kind: nil, at: rig.moment(5)).map(\.id),
            ["robot-a", "robot-b", "robot-c", "gate-1"], "in registry order: the loop does not sort")
        XCTAssertEqual(
            rig.engine.qualityRows(site: nil, kind: nil, at: rig.moment(5)).sorted(by: QualityRow.worstFirst).map(\.id),
            ["robot-b", "robot-c", "gate-1", "robot-a"])
        XCTAssertEqual(rig.engine.qualityRows(site: nil, kind: "face-gate", at: rig.moment(5)).map(\.id), ["gate-1"])
        XCTAssertEqual(rig.engine.qualityRows(site: "elsewhere", kind: nil, at: rig.moment(5)).map(\.id), [])
    }

    // MARK: the broker

    func testARisingDroppedCounterOpensBrokerDroppingWhichResolvesOnceItStops() {
        let rig = connected { $0.detection.resolveAfterSeconds = 2 }
        func sys(_ name: String, _ value: String, at t: Double) -> [EngineEffect] {
            var name = name
            var value = value
            return name.withUTF8 { n in
                value.withUTF8 { v in
                    rig.engine.brokerStatReceived(n, UnsafeRawBufferPointer(v), at: rig.moment(t))
                }
            }
        }
        var effects = sys("publish/messages/dropped", "0", at: 1)
        for t in 1...4 { effects += sys("uptime", "\(t) seconds", at: Double(t)) }
        effects += sys("publish/messages/dropped", "25", at: 4)
        XCTAssertEqual(rig.engine.brokerStats.messagesDropped, 25)
        XCTAssertEqual(effects.priorityLines, ["OPEN P2 broker-dropping"])
        XCTAssertEqual(effects.savedIncidents.first?.scope, .collector)
        effects = sys("publish/messages/dropped", "40", at: 5) + rig.run(to: 8)
        XCTAssertEqual(effects.announced, [], "still rising: the same incident")
        XCTAssertEqual(rig.run(to: 10).announced, [], "cleared at 9 s, three publication intervals after the last rise")
        XCTAssertEqual(rig.run(to: 11).priorityLines, ["RESOLVE P2 broker-dropping"])
    }
}
