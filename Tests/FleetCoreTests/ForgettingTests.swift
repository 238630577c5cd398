import XCTest

@testable import FleetCore

/// Issue 11, item 10: auto-registered devices never heard again within `forget_after_s` are
/// forgotten and counted, so a flood of made-up ids cannot lock legitimate devices out.
final class ForgettingTests: XCTestCase {
    /// An index that removes and reinserts at random keeps finding exactly what it holds, with
    /// every entry colliding into a few hashes so that backward shifts cross runs and the wrap.
    func testTheIndexFindsExactlyWhatItHoldsThroughRemovals() {
        var generator = SeededGenerator(seed: 11)
        var index = DeviceIndex()
        var held: [Int32: UInt32] = [:]
        for _ in 0..<20_000 {
            let slot = Int32.random(in: 0..<600, using: &generator)
            if let hash = held[slot] {
                index.remove(slot, hash: hash)
                held[slot] = nil
            } else {
                let hash = UInt32.random(in: 0..<8, using: &generator) &* 0x9E37_79B9  // few distinct hashes
                index.insert(slot, hash: hash)
                held[slot] = hash
            }
        }
        XCTAssertEqual(index.count, held.count)
        for slot in Int32(0)..<600 {
            for hash in (0..<8).map({ UInt32($0) &* 0x9E37_79B9 }) {
                let found = index.find(hash: hash) { $0 == slot }
                XCTAssertEqual(found != nil, held[slot] == hash, "slot \(slot) hash \(hash)")
            }
        }
    }

    private func rig(maxDevices: Int = 100) -> EngineRig {
        EngineRig {
            $0.detection.forgetAfterSeconds = 3600
            $0.detection.maxDevices = maxDevices
            $0.devices = [InventoryDevice(id: "robot-inv", site: "tianshan", kind: "delivery-robot")]
        }
    }

    func testADeviceSilentForForgetAfterIsForgottenWithItsIncidentsAndCounted() {
        let rig = rig()
        rig.connect(at: 0)
        rig.beat(.robot("robot-inv"), at: 1)
        rig.beat(.robot("ghost"), at: 1)
        let lapsed = rig.run(to: 3600, beating: [.robot("robot-inv")])
        XCTAssertEqual(lapsed.eventSummaries, ["OPEN offline ghost #1"])
        XCTAssertEqual(rig.engine.deviceCount, 2, "not yet: heard at 1 s")
        let forgotten = rig.run(to: 3602, beating: [.robot("robot-inv")], every: 1)
        XCTAssertEqual(forgotten.eventSummaries, ["RESOLVE offline ghost #1"])
        XCTAssertTrue(forgotten.contains(.forgetDevice("ghost")))
        XCTAssertEqual(
            forgotten.announced.first?.field("msg"),
            "device forgotten: no heartbeat for 3600s (detection.forget_after_s)")
        XCTAssertNil(rig.engine.device("ghost"))
        XCTAssertEqual(rig.engine.deviceCount, 1)
        XCTAssertEqual(rig.engine.forgottenDevices, 1)
        XCTAssertEqual(rig.engine.stateCounts(), [.online: 1])
        XCTAssertTrue(rig.engine.unresolvedIncidents.isEmpty)
    }

    func testInventoryDevicesAndDevicesInMaintenanceAreNeverForgotten() throws {
        let rig = rig()
        rig.connect(at: 0)
        rig.beat(.robot("kept"), at: 1)
        _ = try rig.engine.addMaintenance(
            MaintenanceWindow(device: "kept", from: rig.wall(1), until: rig.wall(9000)),
            at: rig.moment(1)
        ).get()
        let effects = rig.run(to: 8000)
        XCTAssertFalse(effects.contains(.forgetDevice("robot-inv")))
        XCTAssertFalse(effects.contains(.forgetDevice("kept")))
        XCTAssertEqual(rig.engine.deviceCount, 2)
    }

    /// The flood: max_devices filled by ids heard once. Before, a legitimate new device was
    /// refused (`device_limit`) for good; once the flood is forgotten it registers, and a
    /// forgotten id that comes back is a new device in a slot of its own.
    func testAFloodOfMadeUpIdsCannotLockOutANewDeviceForGood() {
        let rig = rig(maxDevices: 51)
        rig.connect(at: 0)
        for n in 0..<50 { rig.beat(.gate("flood-\(n)"), at: 1) }
        let newcomer = DeviceTopic.robot("robot-new")
        XCTAssertEqual(
            rig.engine.heartbeatReceived(Heartbeat(), on: newcomer, at: rig.moment(2)).failureReason, .deviceLimit)
        rig.run(to: 3610)
        XCTAssertEqual(rig.engine.forgottenDevices, 50)
        XCTAssertEqual(rig.engine.deviceCount, 1)
        rig.beat(newcomer, at: 3611)
        rig.beat(.gate("flood-7"), at: 3611)
        XCTAssertEqual(rig.state("robot-new"), .online)
        XCTAssertEqual(rig.state("flood-7"), .online)
        XCTAssertEqual(rig.engine.deviceCount, 3)
        // Reused slots work as new ones: robot-new, silent, goes offline at its own 30 s timeout.
        let later = rig.run(to: 3645, beating: [.gate("flood-7")], every: 5)
        XCTAssertEqual(later.announced.filter { $0.kind == .open }.map { $0.field("device") }, ["robot-new"])
        XCTAssertEqual(rig.state("robot-new"), .offline)
        XCTAssertEqual(rig.state("flood-7"), .online)
    }

    /// A forgotten device's slot goes to the next new device, which must start from nothing in
    /// every part that keeps per-slot state (round 2's too): no error codes, metrics, reboots or
    /// link counters of the device before it, and the forecaster and history sampler (which
    /// assumed slots only grow) take the slot without trapping.
    func testANewDeviceInAForgottenSlotStartsFromNothing() throws {
        let rig = EngineRig {
            $0.detection.forgetAfterSeconds = 3600
            $0.storage.historyDays = 400
            $0.storage.historyIntervalSeconds = 60
        }
        rig.connect(at: 0)
        rig.beat(.robot("ghost"), at: 1) {
            $0.seq = 1
            $0.uptimeSeconds = 5
            $0.errors = ["E_LIDAR"]
            $0.metrics = [Metric(name: "battery_pct", value: .number(40)), Metric(name: "odometer", value: .number(9))]
        }
        let ghost = try XCTUnwrap(rig.engine.detail(of: "ghost", at: rig.moment(2)))
        XCTAssertEqual(ghost.errors, ["E_LIDAR"], "the premise: the old device had state in those parts")
        XCTAssertEqual(ghost.metrics.count, 2)
        rig.run(to: 3610)
        XCTAssertNil(rig.engine.device("ghost"))

        rig.beat(.robot("robot-new"), at: 3611)
        let fresh = try XCTUnwrap(rig.engine.detail(of: "robot-new", at: rig.moment(3612)))
        XCTAssertEqual(fresh.errors, [])
        XCTAssertEqual(fresh.metrics, [])
        XCTAssertNil(fresh.uptimeSeconds)
        XCTAssertEqual(fresh.quality.reboots, 0)
        XCTAssertEqual(rig.engine.deviceCount, 1)
    }
}

/// A small deterministic generator (SplitMix64) for seeded random tests.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
