import XCTest

@testable import FleetCore

/// Opening hours in the engine (SPEC §10) on a made-up timeline. The rig's clock starts on
/// Thursday 2026-11-26 at 10:00:00 Asia/Shanghai; the branch schedule closes at t = 100 (10:01:40)
/// and opens again at t = 300 (10:05). Kiosks (`digital-human`) sleep, gates (`face-gate`) are
/// watched around the clock; both beat every 10 s and time out after 30 s.
final class SleepingDeviceTests: XCTestCase {
    static let kiosk = DeviceTopic(site: "tianshan", kind: "digital-human", device: "kiosk-01", channel: .heartbeat)
    static let gate = DeviceTopic.gate("gate-01")
    let kiosk = SleepingDeviceTests.kiosk
    let gate = SleepingDeviceTests.gate

    static func kiosk(_ id: String) -> DeviceTopic {
        DeviceTopic(site: "tianshan", kind: "digital-human", device: id, channel: .heartbeat)
    }

    /// The branch configuration; `hours` in local time of the rig's day.
    static func branch(
        _ config: inout Configuration,
        hours: [DailyRange] = [
            DailyRange(start: 9 * 3600, end: 10 * 3600 + 100), DailyRange(start: 10 * 3600 + 300, end: 21 * 3600),
        ], holidays: [String] = [], wakeGrace: Double = 60
    ) {
        config.schedules["branch"] = ScheduleSettings(hours: hours, holidays: holidays)
        config.sites["tianshan"] = SiteSettings(schedule: "branch")
        config.kinds["digital-human"]?.offHours = .sleep
        config.kinds["digital-human"]?.wakeGraceSeconds = wakeGrace
        config.kinds["digital-human"]?.intervalSeconds = 10
        config.kinds["face-gate"]?.intervalSeconds = 10
    }

    /// A last will at `t`, confirmed, and the clock back on whole seconds (so `run` beats again).
    @discardableResult
    func lastWill(_ rig: EngineRig, _ topic: DeviceTopic, at t: Double) -> [EngineEffect] {
        rig.statusOffline(topic, at: t) + rig.tick(at: t + 1)
    }

    func rig(outages: Bool = false, _ more: (inout Configuration) -> Void = { _ in }) -> EngineRig {
        let rig = EngineRig(outages: outages) {
            Self.branch(&$0)
            more(&$0)
        }
        rig.connect(at: 0)
        return rig
    }

    // MARK: closing

    func testAKioskSilentAtAClosedSiteSleepsAndOpensNothingWhileAMonitoredGateGoesOffline() {
        let rig = rig()
        rig.run(to: 110, beating: [kiosk, gate])
        let night = rig.run(to: 200)
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(rig.state("gate-01"), .offline)
        XCTAssertEqual(night.eventSummaries, ["OPEN offline gate-01 #1"])
        XCTAssertTrue(rig.engine.unresolvedIncidents.allSatisfy { $0.device == "gate-01" })
    }

    func testALastWillAtAClosedSiteIsSleepingAtOnceAndNothingOpens() throws {
        let rig = rig()
        rig.run(to: 110, beating: [kiosk, gate])
        let effects = lastWill(rig, kiosk, at: 115)
        XCTAssertEqual(effects, [.saveDevice(try XCTUnwrap(rig.engine.device("kiosk-01")))])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(rig.run(to: 290, beating: [gate]).eventSummaries, [])
    }

    func testAKioskStillOnAtClosingStaysOnlineUntilItGoesSilent() {
        let rig = rig()
        XCTAssertEqual(rig.run(to: 250, beating: [kiosk, gate]).eventSummaries, [])
        XCTAssertEqual(rig.state("kiosk-01"), .online, "closing changes nothing by itself")
    }

    func testAKioskHeardWhileClosedIsOnlineAgain() {
        let rig = rig()
        rig.run(to: 110, beating: [kiosk, gate])
        rig.run(to: 150, beating: [gate])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        rig.beat(kiosk, at: 155)
        XCTAssertEqual(rig.state("kiosk-01"), .online)
        XCTAssertEqual(rig.run(to: 170, beating: [gate]).eventSummaries, [])
    }

    func testAKioskAtASiteWithoutASchedulePastItsTimeoutIsOfflineAsAlways() {
        let elsewhere = DeviceTopic(site: "jinqiao", kind: "digital-human", device: "kiosk-09", channel: .heartbeat)
        let rig = rig()
        rig.run(to: 110, beating: [elsewhere, gate])
        XCTAssertEqual(rig.run(to: 150, beating: [gate]).eventSummaries, ["OPEN offline kiosk-09 #1"])
    }

    func testAKioskOfflineWithAnOpenIncidentAtClosingSleepsAndKeepsItUntilItIsHeard() {
        let rig = rig()
        rig.run(to: 20, beating: [kiosk, gate])
        XCTAssertEqual(rig.run(to: 99, beating: [gate]).eventSummaries, ["OPEN offline kiosk-01 #1"])
        XCTAssertEqual(rig.run(to: 101, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [1], "the incident is kept, not dropped")
        // Not awake after opening either: still the same incident, no second line.
        XCTAssertEqual(rig.run(to: 400, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.state("kiosk-01"), .offline)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [1])
        // Heard again: it resolves as usual after resolve_after_s.
        rig.beat(kiosk, at: 405)
        XCTAssertEqual(rig.run(to: 440, beating: [kiosk, gate]).eventSummaries, ["RESOLVE offline kiosk-01 #1"])
    }

    func testAKioskInMaintenanceAtClosingStaysInMaintenanceAndSleepsWhenTheWindowEnds() throws {
        let rig = rig()
        rig.run(to: 50, beating: [kiosk, gate])
        _ = try rig.engine.addMaintenance(
            MaintenanceWindow(device: "kiosk-01", from: rig.wall(50), until: rig.wall(150)),
            at: rig.moment(50)
        ).get()
        XCTAssertEqual(rig.state("kiosk-01"), .maintenance)
        rig.run(to: 149, beating: [gate])
        XCTAssertEqual(rig.state("kiosk-01"), .maintenance)
        let after = rig.run(to: 290, beating: [gate])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(after.eventSummaries, [])
    }

    func testAnInventoryKioskNeverHeardWhileClosedIsNotDeclaredOffline() throws {
        let rig = EngineRig {
            Self.branch(&$0, hours: [DailyRange(start: 10 * 3600 + 300, end: 21 * 3600)])
            $0.devices = [InventoryDevice(id: "kiosk-01", site: "tianshan", kind: "digital-human")]
        }
        rig.connect(at: 0)
        let grace = rig.run(to: 299)
        XCTAssertEqual(grace, [.saveDevice(try XCTUnwrap(rig.engine.device("kiosk-01")))])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(rig.run(to: 360).eventSummaries, ["OPEN offline kiosk-01 #1"])
    }

    func testAHolidayKeepsTheSiteClosedAllDay() {
        let rig = rig { Self.branch(&$0, holidays: ["2026-11-26"]) }
        rig.run(to: 20, beating: [kiosk, gate])
        XCTAssertEqual(rig.run(to: 1000, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
    }

    // MARK: ratios

    func testABranchClosingWithAllItsKiosksOffOpensNoSiteOutage() {
        let kiosks = (1...3).map { Self.kiosk("kiosk-0\($0)") }
        let rig = rig(outages: true)
        rig.run(to: 110, beating: kiosks + [gate])
        var night = kiosks.flatMap { rig.statusOffline($0, at: 112) } + rig.tick(at: 113)
        night += rig.run(to: 290, beating: [gate])
        XCTAssertEqual(night.priorityLines, [])
        XCTAssertEqual(rig.engine.stateCounts()[.sleeping], 3)
    }

    func testTheSameKiosksWatchedAroundTheClockWouldBeASiteOutage() {
        let kiosks = (1...3).map { Self.kiosk("kiosk-0\($0)") }
        let rig = rig(outages: true) { $0.kinds["digital-human"]?.offHours = .monitor }
        rig.run(to: 110, beating: kiosks + [gate])
        var night = kiosks.flatMap { rig.statusOffline($0, at: 112) } + rig.tick(at: 113)
        night += rig.run(to: 290, beating: [gate])
        XCTAssertEqual(night.priorityLines, ["OPEN P1 fleet-outage"], "the site's outage is its child")
        XCTAssertTrue(rig.engine.unresolvedIncidents.contains { $0.rule == .siteOutage })
    }

    func testFallingAsleepAndWakingDoNotCountTowardFlapping() throws {
        let rig = rig { $0.detection.flapChanges = 2 }
        rig.run(to: 110, beating: [kiosk, gate])
        for t in stride(from: 111.0, to: 160, by: 10) {
            lastWill(rig, kiosk, at: t)
            rig.beat(kiosk, at: t + 5)
            rig.tick(at: t + 5)
        }
        XCTAssertEqual(rig.engine.unresolvedIncidents, [])
        XCTAssertFalse(rig.engine.flaps.isFlapping(try XCTUnwrap(rig.engine.registry.slot(of: "kiosk-01"))))
    }

    // MARK: opening

    func testAKioskNotHeardWithinTheWakeGraceIsOfflineAtOpeningPlusGraceAndNotBefore() throws {
        let rig = rig()
        rig.run(to: 110, beating: [kiosk, gate])
        rig.run(to: 359, beating: [gate])
        rig.run(to: 359.9, step: 0.1)
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        let wake = rig.tick(at: 360)
        XCTAssertEqual(wake.eventSummaries, ["OPEN offline kiosk-01 #1"])
        let open = try XCTUnwrap(wake.announced.first)
        XCTAssertEqual(open.priority, .p2)
        XCTAssertEqual(open.field("msg"), "did not wake after opening at 10:05 (not heard within 60s)")
        XCTAssertEqual(rig.state("kiosk-01"), .offline)
    }

    func testAKioskHeardWithinTheWakeGraceIsOnlineAndOpensNothing() {
        let rig = rig()
        rig.run(to: 110, beating: [kiosk, gate])
        rig.run(to: 340, beating: [gate])
        rig.beat(kiosk, at: 345)
        XCTAssertEqual(rig.state("kiosk-01"), .online)
        XCTAssertEqual(rig.run(to: 500, beating: [kiosk, gate]).eventSummaries, [])
    }

    func testAWakeGraceOfZeroIsDueAtTheOpeningItself() {
        let rig = rig { Self.branch(&$0, wakeGrace: 0) }
        rig.run(to: 110, beating: [kiosk, gate])
        XCTAssertEqual(rig.run(to: 299, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.run(to: 299.9, step: 0.1).eventSummaries, [])
        XCTAssertEqual(rig.tick(at: 300).eventSummaries, ["OPEN offline kiosk-01 #1"])
    }

    func testAKioskThatWokeAndThenDiesIsOfflineAtOnceInsideTheGrace() {
        let rig = rig()
        rig.run(to: 110, beating: [kiosk, gate])
        rig.run(to: 305, beating: [gate])
        rig.beat(kiosk, at: 306)
        XCTAssertEqual(lastWill(rig, kiosk, at: 310).eventSummaries, ["OPEN offline kiosk-01 #1"])
    }

    func testAnOperatorsResolveOfASleepingKiosksIncidentDoesNotReopenIt() throws {
        let rig = rig()
        rig.run(to: 20, beating: [kiosk, gate])
        rig.run(to: 120, beating: [gate])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        let effects = try rig.engine.resolveByOperator(1, by: "li.wei", note: nil, at: rig.moment(121)).get()
        XCTAssertEqual(effects.eventSummaries, ["RESOLVE offline kiosk-01 #1"])
        XCTAssertEqual(rig.engine.unresolvedIncidents, [])
    }

    func testOpeningAndClosingFollowTheSLAZoneAcrossTheSpringSwitch() {
        // 2026-03-29T08:58:00+02:00 in Europe/Berlin, the first morning of summer time: the
        // branch opens at t = 120 (09:00 CEST, an hour earlier in UTC than the day before).
        let rig = EngineRig(wallAtZero: 1_774_767_480) {
            Self.branch(&$0, hours: [DailyRange(start: 9 * 3600, end: 21 * 3600)])
            $0.sla.timezone = "Europe/Berlin"
        }
        rig.connect(at: 0)
        rig.run(to: 20, beating: [kiosk, gate])
        XCTAssertEqual(rig.run(to: 119, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(rig.run(to: 179, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.run(to: 179.9, step: 0.1).eventSummaries, [])
        let wake = rig.tick(at: 180)
        XCTAssertEqual(wake.eventSummaries, ["OPEN offline kiosk-01 #1"])
        XCTAssertEqual(wake.announced.first?.field("msg"), "did not wake after opening at 09:00 (not heard within 60s)")
    }
}
