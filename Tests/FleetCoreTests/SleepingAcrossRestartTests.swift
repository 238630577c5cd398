import XCTest

@testable import FleetCore

/// Opening hours across a restart and a reload: a daemon restarted while its site is closed, a
/// site that opened while the daemon was down, and a SIGHUP that changes the hours, all behave
/// as if the daemon had been running through (no storm, no missed wake-up). The rig's clock
/// starts at 10:00:00 local (Asia/Shanghai).
final class SleepingAcrossRestartTests: XCTestCase {
    let kiosk = SleepingDeviceTests.kiosk
    let gate = SleepingDeviceTests.gate
    static let wallAtZero = EngineRig.defaultWallAtZero
    /// The evening before the rig's day: when the devices were last heard.
    static let lastNight = wallAtZero - 13 * 3600

    static func record(
        _ id: String, kind: String = "digital-human", _ state: DeviceState,
        lastSeen: Double? = lastNight
    ) -> DeviceRecord {
        DeviceRecord(
            id: id, site: "tianshan", kind: kind, inventory: false, state: state,
            stateSince: lastSeen ?? lastNight, lastSeen: lastSeen)
    }

    static func seconds(_ h: Int, _ m: Int, _ s: Int = 0) -> Int { h * 3600 + m * 60 + s }

    func rig(_ restored: RestoredState, opensAt start: Int, wakeGrace: Double = 60) -> EngineRig {
        let rig = EngineRig(restored: restored) {
            SleepingDeviceTests.branch(
                &$0, hours: [DailyRange(start: start, end: Self.seconds(21, 0))],
                wakeGrace: wakeGrace)
        }
        rig.connect(at: 0)
        return rig
    }

    func kiosk(_ id: String) -> DeviceTopic { SleepingDeviceTests.kiosk(id) }

    // MARK: restart while closed

    func testARestartWhileClosedLetsKiosksSleepWithoutAStormAndWakesThemAtOpening() throws {
        var restored = RestoredState(
            devices: [
                Self.record("kiosk-01", .online), Self.record("kiosk-02", .sleeping), Self.record("kiosk-03", .offline),
                Self.record("gate-01", kind: "face-gate", .online),
            ], nextIncidentID: 42)
        restored.unresolvedIncidents = [
            Incident(
                id: 41, priority: .p2, rule: .offline, scope: .device, site: "tianshan", kind: "digital-human",
                device: "kiosk-03", openedAt: Self.lastNight, summary: "no heartbeat for 30s", announced: true)
        ]
        let rig = rig(restored, opensAt: Self.seconds(10, 5))
        XCTAssertEqual(rig.engine.takeStartupEffects().savedDevices.map(\.id), ["kiosk-03"])
        XCTAssertEqual(rig.state("kiosk-03"), .sleeping, "offline at a closed site: it sleeps, as at closing")
        // The startup grace ends: the silent kiosk sleeps, the silent gate (watched) is offline.
        XCTAssertEqual(rig.run(to: 299).eventSummaries, ["OPEN offline gate-01 #42"])
        XCTAssertEqual(["kiosk-01", "kiosk-02", "kiosk-03"].map(rig.state), [.sleeping, .sleeping, .sleeping])
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id).sorted(), [41, 42], "the kept incident stays open")
        // The gate is back; 10:05 opens; a minute later the kiosks that did not wake are offline,
        // kiosk-03 under its old incident.
        XCTAssertEqual(rig.run(to: 359, beating: [gate]).eventSummaries, ["RESOLVE offline gate-01 #42"])
        let wake = rig.tick(at: 360)
        XCTAssertEqual(wake.priorityLines, ["OPEN P2 offline", "OPEN P2 offline"])
        XCTAssertEqual(wake.announced.compactMap { $0.field("device") }.sorted(), ["kiosk-01", "kiosk-02"])
        XCTAssertEqual(rig.state("kiosk-03"), .offline)
    }

    func testASleepingKioskKeepsTheIncidentItHadAcrossARestart() {
        var restored = RestoredState(devices: [Self.record("kiosk-01", .sleeping)], nextIncidentID: 8)
        restored.unresolvedIncidents = [
            Incident(
                id: 7, priority: .p2, rule: .offline, scope: .device, site: "tianshan", kind: "digital-human",
                device: "kiosk-01", openedAt: Self.lastNight, summary: "no heartbeat for 30s", announced: true)
        ]
        let rig = rig(restored, opensAt: Self.seconds(10, 5))
        XCTAssertEqual(rig.run(to: 200).eventSummaries, [], "not resolved: nothing was learned while it slept")
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [7])
    }

    func testAnOfflineStatusRetainedFromLastNightKeepsAKioskAsleepAfterARestartWhileClosed() {
        let rig = rig(RestoredState(devices: [Self.record("kiosk-01", .online)]), opensAt: Self.seconds(10, 5))
        rig.statusOffline(kiosk, at: 0.2)
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(rig.run(to: 299).eventSummaries, [])
    }

    // MARK: a site that opened while the daemon was down

    func testASiteThatOpenedWhileTheDaemonWasDownWakesItsKiosksFromItsOpening() throws {
        // Opened at 09:55, five minutes before the restart, with ten minutes to wake: until t = 300.
        let rig = rig(
            RestoredState(devices: [
                Self.record("kiosk-01", .sleeping),
                Self.record("kiosk-02", .online),  // not heard since last night: it must wake like the others
                Self.record("kiosk-03", .online, lastSeen: Self.wallAtZero - 60),  // heard since opening
                Self.record("gate-01", kind: "face-gate", .online),
            ]), opensAt: Self.seconds(9, 55), wakeGrace: 600)
        XCTAssertEqual(rig.state("kiosk-02"), .sleeping)
        // kiosk-02's retained last will from last night must not beat its wake grace.
        rig.statusOffline(kiosk("kiosk-02"), at: 0.2)
        rig.beat(gate, at: 1)
        let early = rig.run(to: 299, beating: [gate])
        XCTAssertEqual(early.eventSummaries, ["OPEN offline kiosk-03 #1"], "an ordinary restart grace for kiosk-03")
        XCTAssertEqual(early.announced.first?.field("msg"), "not heard since the daemon started (grace 60s)")
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        let wake = rig.run(to: 300, beating: [gate])
        XCTAssertEqual(wake.announced.compactMap { $0.field("device") }.sorted(), ["kiosk-01", "kiosk-02"])
        XCTAssertEqual(
            wake.announced.map { $0.field("msg") },
            Array(repeating: "did not wake after opening at 09:55 (not heard within 600s)", count: 2))
    }

    func testAWakeGraceThatRanOutWhileTheDaemonWasDownEndsWithTheStartupGraceAndNoSooner() {
        let rig = rig(
            RestoredState(devices: [Self.record("kiosk-01", .sleeping), Self.record("kiosk-02", .sleeping)]),
            opensAt: Self.seconds(9, 0))
        rig.run(to: 30)
        rig.beat(kiosk("kiosk-02"), at: 30)
        XCTAssertEqual(rig.state("kiosk-02"), .online)
        XCTAssertEqual(rig.run(to: 59, beating: [kiosk("kiosk-02")]).eventSummaries, [])
        let effects = rig.tick(at: 60)
        XCTAssertEqual(effects.eventSummaries, ["OPEN offline kiosk-01 #1"])
        XCTAssertEqual(
            effects.announced.first?.field("msg"), "did not wake after opening at 09:00 (not heard within 60s)")
    }

    // MARK: reload

    func testAReloadThatOpensTheSiteSoonMakesASilentKioskOfflineAtOpeningPlusGraceNotBefore() throws {
        let rig = rig(RestoredState(), opensAt: Self.seconds(10, 5))
        rig.run(to: 20, beating: [kiosk, gate])
        rig.run(to: 120, beating: [gate])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        var next = rig.engine.configuration
        next.schedules["branch"]?.hours = [DailyRange(start: Self.seconds(10, 2, 10), end: Self.seconds(21, 0))]
        XCTAssertEqual(rig.engine.reload(next, at: rig.moment(120)), [])
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping, "a reload keeps every device's state")
        XCTAssertEqual(rig.run(to: 189, beating: [gate]).eventSummaries, [])
        rig.run(to: 189.9, step: 0.1)
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        let wake = rig.tick(at: 190)
        XCTAssertEqual(wake.eventSummaries, ["OPEN offline kiosk-01 #1"])
        XCTAssertEqual(
            wake.announced.first?.field("msg"),
            "did not wake after opening at 10:02:10 (not heard within 60s)")
    }

    func testAReloadThatOpensTheSiteNowGivesTheWakeGraceFromTheReload() {
        let rig = rig(RestoredState(), opensAt: Self.seconds(10, 5))
        rig.run(to: 20, beating: [kiosk, gate])
        rig.run(to: 120, beating: [gate])
        var next = rig.engine.configuration
        next.sites["tianshan"]?.schedule = nil
        next.schedules = [:]
        _ = rig.engine.reload(next, at: rig.moment(120))
        XCTAssertEqual(rig.run(to: 179, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.tick(at: 180).eventSummaries, ["OPEN offline kiosk-01 #1"])
    }

    func testAKindThatStopsSleepingWakesItsSleepersWithItsGrace() {
        let rig = rig(RestoredState(), opensAt: Self.seconds(10, 5))
        rig.run(to: 20, beating: [kiosk, gate])
        rig.run(to: 120, beating: [gate])
        var next = rig.engine.configuration
        next.kinds["digital-human"]?.offHours = .monitor
        next.kinds["digital-human"]?.wakeGraceSeconds = 30
        _ = rig.engine.reload(next, at: rig.moment(120))
        XCTAssertEqual(rig.run(to: 149, beating: [gate]).eventSummaries, [])
        XCTAssertEqual(rig.tick(at: 150).eventSummaries, ["OPEN offline kiosk-01 #1"])
    }

    func testAReloadThatClosesTheSiteLetsAnOfflineKioskSleepAndKeepsItsIncident() {
        let rig = rig(RestoredState(), opensAt: Self.seconds(9, 0))
        rig.run(to: 20, beating: [kiosk, gate])
        XCTAssertEqual(rig.run(to: 70, beating: [gate]).eventSummaries, ["OPEN offline kiosk-01 #1"])
        var next = rig.engine.configuration
        next.schedules["branch"]?.hours = [DailyRange(start: Self.seconds(11, 0), end: Self.seconds(21, 0))]
        _ = rig.engine.reload(next, at: rig.moment(70))
        XCTAssertEqual(rig.state("kiosk-01"), .sleeping)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [1])
    }
}
