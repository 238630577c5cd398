import XCTest

@testable import FleetCore

/// Issue 11, item 2: a storage-failure line is written before its commit (the commit is what
/// fails). When the daemon dies then, only the alert log knows that incident: at the next start
/// it is adopted (saved, with its OPEN event whose line exists), resolves like any cleared
/// condition, and no later incident gets its id.
final class UnrecordedIncidentTests: XCTestCase {
    private func storageOpen(_ id: Int64, at time: Double) -> AlertEvent {
        AlertEvent(
            time: time, kind: .open, priority: .p1, incidentID: id,
            fields: [
                .init("rule", "storage-failure"), .init("respond_by", "2026-11-27T10:30:04+08:00"),
                .init("msg", "database /x/fleetwatch.db cannot be written: disk full"),
            ])
    }

    func testAnUnrecordedStorageFailureIsAdoptedThenResolvesAndItsIdIsNeverReused() {
        let rig = EngineRig(restored: RestoredState(nextIncidentID: 88))
        let open = storageOpen(88, at: rig.wall(-30))
        let adopted = rig.engine.adoptUnrecordedStorageFailures([open], at: rig.moment(0))
        XCTAssertEqual(adopted.announced, [open], "its OPEN event is stored as the line already written says")
        let saved = try? XCTUnwrap(adopted.savedIncidents.last)
        XCTAssertEqual(saved?.id, 88)
        XCTAssertEqual(saved?.rule, .storageFailure)
        XCTAssertEqual(saved?.scope, .collector)
        XCTAssertEqual(saved?.openedAt, open.time)
        XCTAssertEqual(saved?.summary, "database /x/fleetwatch.db cannot be written: disk full")
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [88])

        rig.connect(at: 0)
        let later = rig.run(to: 5)  // resolve_after_s is 30 by default
        XCTAssertEqual(later.announced, [])
        let resolved = rig.run(to: 31)
        XCTAssertEqual(resolved.eventSummaries, ["RESOLVE storage-failure - #88"])
        XCTAssertTrue(rig.engine.unresolvedIncidents.isEmpty)

        rig.beat(.robot(), at: 31.5)
        rig.statusOffline(.robot(), at: 32)
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [89], "the next id is after the adopted one")
    }

    func testOnlyStorageFailureOpenLinesAreAdopted() {
        let rig = EngineRig(restored: RestoredState(nextIncidentID: 5))
        let offline = AlertEvent(
            time: rig.wall(-1), kind: .open, priority: .p2, incidentID: 7,
            fields: [.init("rule", "offline"), .init("device", "robot-01")])
        let update = AlertEvent(
            time: rig.wall(-1), kind: .update, priority: .p1, incidentID: 8,
            fields: [.init("rule", "storage-failure")])
        XCTAssertEqual(rig.engine.adoptUnrecordedStorageFailures([offline, update], at: rig.moment(0)), [])
        XCTAssertTrue(rig.engine.unresolvedIncidents.isEmpty)
    }

    func testOfTwoForTheSameProblemTheOlderResolvesAtOnce() {
        let rig = EngineRig(restored: RestoredState(nextIncidentID: 1))
        let effects = rig.engine.adoptUnrecordedStorageFailures(
            [storageOpen(12, at: rig.wall(-9)), storageOpen(10, at: rig.wall(-20))],
            at: rig.moment(0))
        XCTAssertEqual(
            effects.eventSummaries,
            [
                "OPEN storage-failure - #10", "OPEN storage-failure - #12",
                "RESOLVE storage-failure - #10",
            ])
        XCTAssertEqual(rig.engine.unresolvedIncidents.map(\.id), [12])
    }

    /// Before: a storage failure still open when the daemon died stayed open for ever, since
    /// only the transition back to working storage cleared it.
    func testAStorageFailureRestoredFromTheDatabaseResolvesAfterTheRestart() {
        let open = Incident(
            id: 4, priority: .p1, rule: .storageFailure, scope: .collector, openedAt: EngineRig.defaultWallAtZero - 60,
            summary: "database locked", announced: true)
        let rig = EngineRig(restored: RestoredState(unresolvedIncidents: [open], nextIncidentID: 5))
        rig.connect(at: 0)
        XCTAssertEqual(rig.run(to: 31).eventSummaries, ["RESOLVE storage-failure - #4"])
    }
}
