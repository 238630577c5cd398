import XCTest

@testable import FleetCore

final class DeviceRegistryTests: XCTestCase {
    private func registry(maxDevices: Int = 10) -> DeviceRegistry {
        DeviceRegistry(kinds: KindSettings.builtIn, maxDevices: maxDevices)
    }

    private let robot = DeviceTopic(site: "tianshan", kind: "delivery-robot", device: "robot-01", channel: .heartbeat)

    func testATrackedDeviceTakes88BytesWithItsIdSiteAndKindKeptApart() {
        XCTAssertEqual(MemoryLayout<TrackedDevice>.stride, 88)
    }

    func testAnUnheardDeviceHasNoReceiveTimeOrIntervalOfItsOwnUntilTheyAreSet() {
        var device = TrackedDevice(
            DeviceRecord(id: "robot-01", site: "s", kind: "k", inventory: false, state: .unknown, stateSince: 0),
            id: .empty, site: 0, kind: 0, timeout: 30)
        XCTAssertNil(device.lastSeenMonotonic)
        XCTAssertNil(device.intervalOverride)
        device.lastSeenMonotonic = 12.5
        device.intervalOverride = 5
        XCTAssertEqual(device.lastSeenMonotonic, 12.5)
        XCTAssertEqual(device.intervalOverride, 5)
        device.intervalOverride = nil
        XCTAssertNil(device.intervalOverride)
    }

    func testATopicRegistersItsDeviceOnceAndReportsItForSaving() throws {
        var r = registry()
        let slot = try r.resolve(robot, at: at(0)).get()
        XCTAssertEqual(try r.resolve(robot, at: at(1)).get(), slot)
        XCTAssertEqual(r.takeNewlyRegistered(), [slot])
        XCTAssertEqual(r.takeNewlyRegistered(), [])
        XCTAssertEqual(r.record(slot).state, .unknown)
        XCTAssertEqual(r.count, 1)
    }

    func testAnotherSiteOrKindAnUnknownKindAndTheLimitAreRejectedWithoutChange() {
        var r = registry(maxDevices: 1)
        _ = r.resolve(robot, at: at(0))
        var moved = robot
        moved.site = "jinqiao"
        XCTAssertEqual(r.resolve(moved, at: at(1)).failureReason, .inventoryMismatch)
        XCTAssertEqual(
            r.resolve(DeviceTopic(site: "s", kind: "toaster", device: "t", channel: .heartbeat), at: at(1))
                .failureReason, .unknownKind)
        XCTAssertEqual(
            r.resolve(DeviceTopic(site: "s", kind: "face-gate", device: "g", channel: .heartbeat), at: at(1))
                .failureReason, .deviceLimit)
        XCTAssertEqual(r.count, 1)
    }

    /// A device that registers with its `online` status after the grace has ended (a kiosk
    /// switched on at opening) has its timeout before it can be offline: its first heartbeat
    /// follows the status. It used to be offline at the next tick.
    func testADeviceRegisteredByAStatusAfterTheGraceGetsItsTimeoutBeforeItCanBeOffline() throws {
        var r = registry()
        let status = DeviceTopic(site: "tianshan", kind: "delivery-robot", device: "robot-01", channel: .status)
        _ = try r.resolve(status, at: at(100)).get()
        XCTAssertTrue(r.expireDeadlines(at: at(100.05), graceEnd: at(60).monotonic, graceSeconds: 60).isEmpty)
        XCTAssertTrue(r.expireDeadlines(at: at(129.9), graceEnd: at(60).monotonic, graceSeconds: 60).isEmpty)
        XCTAssertEqual(r.expireDeadlines(at: at(130), graceEnd: at(60).monotonic, graceSeconds: 60).count, 1)
    }

    func testAHeardDeviceExpiresAtLastSeenPlusTimeoutAndOnlyOnce() throws {
        var r = registry()
        let slot = r.insert(robotRecord(state: .online))
        _ = r.heard(slot, Heartbeat(), maxClockSkew: 120, at: at(100))
        XCTAssertTrue(r.expireDeadlines(at: at(129.9), graceEnd: 0, graceSeconds: 60).isEmpty)
        let expired = r.expireDeadlines(at: at(130), graceEnd: 0, graceSeconds: 60)
        XCTAssertEqual(expired.map(\.transition.to), [.offline])
        XCTAssertEqual(expired.first?.summary, "no heartbeat for 30s (expected every 10s)")
        XCTAssertTrue(r.expireDeadlines(at: at(500), graceEnd: 0, graceSeconds: 60).isEmpty)
    }

    func testNothingExpiresBeforeTheGraceEnd() {
        var r = registry()
        let slot = r.insert(robotRecord(state: .online))
        _ = r.heard(slot, Heartbeat(), maxClockSkew: 120, at: at(100))
        let graceEnd = at(200).monotonic
        XCTAssertTrue(r.expireDeadlines(at: at(199), graceEnd: graceEnd, graceSeconds: 60).isEmpty)
        XCTAssertEqual(r.expireDeadlines(at: at(200), graceEnd: graceEnd, graceSeconds: 60).count, 1)
    }

    func testAShorterOwnIntervalBringsTheDeadlineForward() {
        var r = registry()
        let slot = r.insert(robotRecord(state: .online))
        _ = r.heard(slot, Heartbeat(), maxClockSkew: 120, at: at(100))
        var beat = Heartbeat()
        beat.intervalSeconds = 2
        _ = r.heard(slot, beat, maxClockSkew: 120, at: at(101))
        XCTAssertTrue(r.expireDeadlines(at: at(106.9), graceEnd: 0, graceSeconds: 60).isEmpty)
        XCTAssertEqual(
            r.expireDeadlines(at: at(107), graceEnd: 0, graceSeconds: 60).first?.summary,
            "no heartbeat for 6s (expected every 2s)")
    }

    func testClockSkewIsAChangeToSaveOnlyWhenItFlips() {
        var r = registry()
        let slot = r.insert(robotRecord(state: .online))
        var beat = Heartbeat()
        beat.timestamp = at(0).wall - 500
        XCTAssertTrue(r.heard(slot, beat, maxClockSkew: 120, at: at(0)))
        XCTAssertFalse(r.heard(slot, beat, maxClockSkew: 120, at: at(0)))
        XCTAssertTrue(r.record(slot).clockSkewed)
        beat.timestamp = at(10).wall
        XCTAssertTrue(r.heard(slot, beat, maxClockSkew: 120, at: at(10)))
        XCTAssertEqual(r.clockSkewedCount, 0)
    }

    func testAnOfflineStatusIsConfirmedAfterItsDelayUnlessTheDeviceIsHeardOrTheLinkDrops() {
        var r = registry()
        let a = r.insert(robotRecord("a", state: .online))
        let b = r.insert(robotRecord("b", state: .online))
        let c = r.insert(robotRecord("c", state: .online))
        for slot in [a, b, c] { r.reportedOffline(slot, at: at(0)) }
        _ = r.heard(b, Heartbeat(), maxClockSkew: 120, at: at(0.1))
        XCTAssertEqual(r.takeConfirmedOfflineStatuses(at: at(DeviceRegistry.statusConfirmDelay - 0.01)), [])
        XCTAssertEqual(r.takeConfirmedOfflineStatuses(at: at(DeviceRegistry.statusConfirmDelay)).sorted(), [a, c])
        r.reportedOffline(a, at: at(1))
        r.forgetUnconfirmedStatuses()
        XCTAssertEqual(r.takeConfirmedOfflineStatuses(at: at(5)), [])
    }

    func testLastSeenIsQueuedOncePerDeviceAndTakenOldestFirst() {
        var r = registry()
        let a = r.insert(robotRecord("a"))
        let b = r.insert(robotRecord("b"))
        _ = r.heard(a, Heartbeat(), maxClockSkew: 120, at: at(1))
        _ = r.heard(b, Heartbeat(), maxClockSkew: 120, at: at(2))
        _ = r.heard(a, Heartbeat(), maxClockSkew: 120, at: at(3))
        r.beginLastSeenRound()
        XCTAssertEqual(r.takeLastSeenUpdates(limit: 1).map(\.0), ["a"])
        XCTAssertEqual(r.takeLastSeenUpdates().map { "\($0.0)@\($0.1 - at(0).wall)" }, ["b@2.0"])
        XCTAssertTrue(r.takeLastSeenUpdates().isEmpty)
    }

    func testADeviceHeardAgainAfterItsFlushWaitsForTheNextRound() {
        var r = registry()
        let a = r.insert(robotRecord("a"))
        let b = r.insert(robotRecord("b"))
        XCTAssertTrue(r.takeLastSeenUpdates(limit: 10).isEmpty, "nothing before the first round")
        _ = r.heard(a, Heartbeat(), maxClockSkew: 120, at: at(1))
        XCTAssertTrue(r.takeLastSeenUpdates(limit: 10).isEmpty, "heard after the round began")
        _ = r.heard(b, Heartbeat(), maxClockSkew: 120, at: at(2))
        r.beginLastSeenRound()
        XCTAssertEqual(r.takeLastSeenUpdates(limit: 1).map(\.0), ["a"])
        _ = r.heard(a, Heartbeat(), maxClockSkew: 120, at: at(3))
        XCTAssertEqual(r.takeLastSeenUpdates(limit: 10).map(\.0), ["b"], "a was written this round")
        XCTAssertTrue(r.takeLastSeenUpdates(limit: 10).isEmpty)
        r.beginLastSeenRound()
        XCTAssertEqual(r.takeLastSeenUpdates(limit: 10).map { "\($0.0)@\($0.1 - at(0).wall)" }, ["a@3.0"])
    }

    func testAForgottenDeviceLeavesTheRoundWithoutTakingAnotherDevicesPlace() {
        var r = registry()
        let a = r.insert(robotRecord("a"))
        let b = r.insert(robotRecord("b"))
        let c = r.insert(robotRecord("c"))
        _ = r.heard(a, Heartbeat(), maxClockSkew: 120, at: at(1))
        _ = r.heard(b, Heartbeat(), maxClockSkew: 120, at: at(2))
        r.beginLastSeenRound()
        _ = r.heard(c, Heartbeat(), maxClockSkew: 120, at: at(3))
        r.forget(a)
        XCTAssertEqual(r.takeLastSeenUpdates(limit: 10).map(\.0), ["b"], "c waits for the next round")
        r.beginLastSeenRound()
        XCTAssertEqual(r.takeLastSeenUpdates(limit: 10).map(\.0), ["c"])
    }

    func testARecordComesBackAsItWentInWithItsNameAndLiveFields() {
        var r = registry()
        var record = robotRecord("robot-with-a-long-id-0001")
        record.name = "Robot at the front desk"
        record.firmware = "2.4.1"
        let slot = r.insert(record)
        XCTAssertEqual(r.record(slot), record)
        XCTAssertEqual(r.id(slot), record.id)
        XCTAssertEqual(r.site(slot), record.site)
        XCTAssertEqual(r.kindName(slot), record.kind)
        _ = r.heard(slot, Heartbeat(), maxClockSkew: 120, at: at(5))
        XCTAssertEqual(r.record(slot).lastSeen, at(5).wall)
        XCTAssertEqual(r.record(slot).name, "Robot at the front desk")
    }

    /// Forgotten devices' ids are reclaimed once most of the arena is theirs; every kept device is
    /// still found by its id, and a new device takes a freed slot without inheriting anything.
    func testForgettingMostDevicesCompactsTheIdsAndKeepsEveryOtherDeviceFindable() {
        var r = registry(maxDevices: 20_000)
        let ids = (0..<10_000).map { "site-centre-delivery-robot-\($0)" }
        let slots = ids.map { r.insert(robotRecord($0)) }
        for (k, slot) in slots.enumerated() where k % 10 != 0 { r.forget(slot) }
        XCTAssertEqual(r.count, 1_000)
        for (k, id) in ids.enumerated() {
            XCTAssertEqual(r.slot(of: id), k % 10 == 0 ? slots[k] : nil, id)
            if k % 10 == 0 { XCTAssertEqual(r.id(slots[k]), id) }
        }
        let fresh = r.insert(robotRecord("a-new-one"))
        XCTAssertTrue(slots.contains(fresh), "a freed slot is taken again")
        XCTAssertEqual(r.record(fresh).id, "a-new-one")
        XCTAssertNil(r.record(fresh).name)
        XCTAssertEqual(r.slot(of: "a-new-one"), fresh)
        XCTAssertEqual(r.knownRecords.count, 1_001)
    }

    /// Kind settings are kept by kind index: a reload must reach devices of a kind that was not
    /// configured when they registered, and a kind first seen after a reload gets its settings.
    func testAReloadGivesEveryKindItsNewSettingsAndAKindInternedLaterGetsItsOwn() {
        var kinds = KindSettings.builtIn
        var r = DeviceRegistry(kinds: kinds, maxDevices: 100)
        func device(_ id: String, _ kind: String) -> DeviceRecord {
            DeviceRecord(id: id, site: "s", kind: kind, inventory: false, state: .unknown, stateSince: 0)
        }
        let a = r.insert(device("a", "mystery"))
        XCTAssertEqual(r.kind(of: a).intervalSeconds, KindSettings().intervalSeconds, "not configured: defaults")
        kinds["mystery"] = KindSettings(intervalSeconds: 77, missed: 2, core: false)
        r.configure(kinds: kinds, maxDevices: 100)
        XCTAssertEqual(r.kind(of: a).intervalSeconds, 77)
        XCTAssertEqual(r[a].timeout, 154)
        let b = r.insert(device("b", "mystery"))
        XCTAssertEqual(r[b].timeout, 154)
        r.forget(a)
        kinds["other"] = KindSettings(intervalSeconds: 5, missed: 2, core: false)
        r.configure(kinds: kinds, maxDevices: 100)
        let c = r.insert(device("c", "other"))
        XCTAssertEqual(c, a, "the forgotten slot is taken again")
        XCTAssertEqual(r[c].timeout, 10)
        XCTAssertEqual(r.kind(of: b).intervalSeconds, 77)
    }

    func testAnInventoryEntryThatChangesADevicesKindBringsThatKindsTimeout() {
        var kinds = KindSettings.builtIn
        kinds["often"] = KindSettings(intervalSeconds: 10, missed: 3, core: false)
        kinds["seldom"] = KindSettings(intervalSeconds: 60, missed: 3, core: false)
        var r = DeviceRegistry(kinds: kinds, maxDevices: 10)
        let slot = r.insert(
            DeviceRecord(id: "kiosk-01", site: "s", kind: "often", inventory: false, state: .unknown, stateSince: 0))
        _ = r.heard(slot, Heartbeat(), maxClockSkew: 120, at: at(0))
        XCTAssertNotNil(r.applyInventory(InventoryDevice(id: "kiosk-01", site: "s", kind: "seldom"), to: slot))
        XCTAssertEqual(r[slot].timeout, 180)
        XCTAssertTrue(
            r.expireDeadlines(at: at(31), graceEnd: 0, graceSeconds: 0).isEmpty, "not offline at the old timeout")
        XCTAssertEqual(r.expireDeadlines(at: at(181), graceEnd: 0, graceSeconds: 0).count, 1)
        _ = r.heard(slot, Heartbeat(), maxClockSkew: 120, at: at(200))
        _ = r.setState(slot, .online, at: at(200))
        XCTAssertNotNil(r.applyInventory(InventoryDevice(id: "kiosk-01", site: "s", kind: "often"), to: slot))
        XCTAssertEqual(
            r.expireDeadlines(at: at(231), graceEnd: 0, graceSeconds: 0).count, 1,
            "a shorter timeout is due at once, not at the longer one's deadline")
    }

    func testAForgottenSlotIsNotAtAnySiteOrOfAnyKind() {
        var r = registry()
        let slot = r.insert(robotRecord("robot-01"))
        r.forget(slot)
        XCTAssertFalse(r.hasDevices(atSite: robotRecord().site))
        XCTAssertEqual(r.slots(atSite: robotRecord().site), [])
        XCTAssertEqual(r.kindOfEachSlot, [""])
        XCTAssertEqual(r.knownRecords, [])
    }

    func testLeavingMaintenanceGivesGraceBeforeATimeoutCounts() {
        var r = registry()
        let slot = r.insert(robotRecord(state: .maintenance))
        let transition = r.leaveMaintenance(slot, graceUntil: at(160).monotonic, at: at(100))
        XCTAssertEqual(transition?.to, .unknown)
        XCTAssertTrue(r.expireDeadlines(at: at(159), graceEnd: 0, graceSeconds: 60).isEmpty)
        XCTAssertEqual(
            r.expireDeadlines(at: at(160), graceEnd: 0, graceSeconds: 60).first?.summary,
            "not heard since the daemon started (grace 60s)")
    }
}

extension Result where Success == DeviceSlot, Failure == Rejection {
    var failureReason: RejectReason? {
        if case .failure(let r) = self { r.reason } else { nil }
    }
}
