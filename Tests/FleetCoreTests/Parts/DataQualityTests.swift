import XCTest

@testable import FleetCore

final class DataQualityTests: XCTestCase {
    private func beat(seq: Int64, errors: [String] = [], metrics: [Metric] = []) -> Heartbeat {
        var b = Heartbeat()
        b.seq = seq
        b.errors = errors
        b.metrics = metrics
        return b
    }

    private let battery = Metric(name: "battery_pct", value: .number(87))

    func testOneHeartbeatReachesTheLinkTheErrorCodesAndTheLastValues() {
        var q = DataQuality(Configuration(), at: at(0))
        q.added(0)
        let first = q.observe(0, beat(seq: 1, errors: ["E_DOOR_JAM"], metrics: [battery]), at: at(1))
        XCTAssertEqual(first.errors, ActiveErrors.Change(before: [], after: ["E_DOOR_JAM"]))
        XCTAssertTrue(first.link.isEmpty, "one heartbeat decides no link rule")
        let again = q.observe(0, beat(seq: 3, errors: ["E_DOOR_JAM"]), at: at(2))
        XCTAssertNil(again.errors, "the same codes are no change")
        XCTAssertEqual(q.metrics.metrics(0), [battery], "a heartbeat without metrics keeps the last values")
        let stats = q.links.stats(0, at: at(2).monotonic)
        XCTAssertEqual(stats.received, 2, accuracy: 0.01)
        XCTAssertEqual(stats.lost, 1, accuracy: 0.01, "seq 2 never came")
    }

    func testAForgottenSlotStartsFromNothingInEveryPart() {
        var q = DataQuality(Configuration(), at: at(0))
        q.added(0)
        _ = q.observe(0, beat(seq: 1, errors: ["E_DOOR_JAM"], metrics: [battery]), at: at(1))
        _ = q.observe(0, beat(seq: 5), at: at(2))
        q.forget(0)
        q.added(0)
        XCTAssertEqual(q.errors.codes(0), [])
        XCTAssertEqual(q.metrics.metrics(0), [])
        XCTAssertEqual(q.links.stats(0, at: at(3).monotonic), LinkStats())
        let next = q.observe(0, beat(seq: 1), at: at(3))
        XCTAssertNil(next.errors, "no codes before, none now")
        XCTAssertEqual(q.links.stats(0, at: at(3).monotonic).lost, 0, "the old seq is not the new device's")
    }

    func testAReloadTakesTheNewCatalogs() {
        var configuration = Configuration()
        var q = DataQuality(configuration, at: at(0))
        let record = DeviceRecord(
            id: "locker-01", site: "tianshan", kind: "pickup-locker", inventory: false, state: .online,
            stateSince: at(0).wall)
        let change = ActiveErrors.Change(before: [], after: ["E_NEW"])
        XCTAssertTrue(q.errors.findings(change, record).allSatisfy { if case .holds = $0 { false } else { true } })
        configuration.kinds["pickup-locker"]?.errorCodes["E_NEW"] = ErrorCode("new", priority: .p1)
        q.configure(configuration, at: at(1))
        XCTAssertTrue(q.errors.findings(change, record).contains { if case .holds = $0 { true } else { false } })
    }
}
