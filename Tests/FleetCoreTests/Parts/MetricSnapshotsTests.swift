import XCTest

@testable import FleetCore

final class MetricSnapshotsTests: XCTestCase {
    private func m(_ name: String, _ value: MetricValue) -> Metric { Metric(name: name, value: value) }

    func testTheLastValueOfEachMetricIsKept() {
        var s = MetricSnapshots()
        s.added(0)
        s.added(1)
        XCTAssertEqual(s.metrics(0), [])
        s.update(0, [m("battery_pct", .number(87)), m("temp_c", .number(36.5))])
        s.update(1, [m("camera_ok", .bool(true)), m("mode", .string("auto"))])
        s.update(0, [m("battery_pct", .number(86)), m("temp_c", .number(36.75))])
        XCTAssertEqual(s.metrics(0), [m("battery_pct", .number(86)), m("temp_c", .number(36.75))])
        XCTAssertEqual(s.metrics(1), [m("camera_ok", .bool(true)), m("mode", .string("auto"))])
    }

    func testTheSameNamesAreRewrittenInPlace() {
        var s = MetricSnapshots()
        s.added(0)
        s.update(0, [m("battery_pct", .number(87)), m("camera_ok", .bool(true)), m("mode", .string("auto"))])
        let size = s.arenaBytes
        for n in 0..<1000 {
            s.update(
                0,
                [m("battery_pct", .number(Double(n))), m("camera_ok", .bool(n % 2 == 0)), m("mode", .string("dock"))])
        }
        XCTAssertEqual(s.arenaBytes, size, "no growth when names and sizes stay")
        XCTAssertEqual(
            s.metrics(0), [m("battery_pct", .number(999)), m("camera_ok", .bool(false)), m("mode", .string("dock"))])
    }

    /// `overwriteInPlace` writes as it checks: a heartbeat whose names or sizes stop matching part
    /// way must still end with exactly its values (and the old ones it left out).
    func testAHeartbeatThatStopsMatchingPartWayIsWrittenWhole() {
        var s = MetricSnapshots()
        s.added(0)
        s.update(0, [m("a", .number(1)), m("b", .number(2)), m("c", .string("x"))])
        s.update(0, [m("a", .number(5)), m("b", .number(6)), m("c", .string("longer"))])
        XCTAssertEqual(s.metrics(0), [m("a", .number(5)), m("b", .number(6)), m("c", .string("longer"))])
        s.update(0, [m("a", .number(7)), m("z", .bool(true))])
        XCTAssertEqual(
            s.metrics(0), [m("a", .number(7)), m("z", .bool(true)), m("b", .number(6)), m("c", .string("longer"))])
        s.update(0, [m("a", .number(8)), m("z", .bool(false)), m("b", .number(9)), m("c", .string("longer"))])
        s.update(0, [m("a", .number(10)), m("z", .bool(true))])  // fewer names than stored
        XCTAssertEqual(
            s.metrics(0), [m("a", .number(10)), m("z", .bool(true)), m("b", .number(9)), m("c", .string("longer"))])
    }

    func testAMetricAHeartbeatLeavesOutKeepsItsLastValue() {
        var s = MetricSnapshots()
        s.added(0)
        s.update(0, [m("battery_pct", .number(87)), m("temp_c", .number(36.5))])
        s.update(0, [m("temp_c", .number(40)), m("fps", .number(30))])
        XCTAssertEqual(s.metrics(0), [m("temp_c", .number(40)), m("fps", .number(30)), m("battery_pct", .number(87))])
    }

    func testValuesOfEveryTypeSurviveTheEncoding() {
        var s = MetricSnapshots()
        s.added(0)
        let values: [Metric] = [
            m("neg", .number(-0.001)), m("big", .number(1e300)), m("t", .bool(true)),
            m("f", .bool(false)), m("s", .string("天山路")), m("empty", .string("")),
        ]
        s.update(0, values)
        XCTAssertEqual(s.metrics(0), values)
    }

    func testLongNamesAreSkippedAndLongStringsCutAtACharacter() {
        var s = MetricSnapshots()
        s.added(0)
        let long = String(repeating: "天", count: 100)  // 300 bytes
        s.update(0, [m(String(repeating: "n", count: 300), .number(1)), m("s", .string(long))])
        XCTAssertEqual(s.metrics(0), [m("s", .string(String(repeating: "天", count: 85)))])
    }

    func testStaleBytesAreCompactedAway() {
        var s = MetricSnapshots()
        for slot in 0..<10 { s.added(DeviceSlot(slot)) }
        for n in 0..<8000 {
            let slot = DeviceSlot(n % 10)
            s.update(slot, [m("name\(n % 7)", .number(Double(n)))])  // the names change: written anew
        }
        XCTAssertLessThan(s.arenaBytes, 3 * MetricSnapshots.compactionFloor)
        XCTAssertEqual(s.metrics(9).count, 7, "merged: each name keeps its last value")
        XCTAssertEqual(s.metrics(9).first { $0.name == "name5" }?.value, .number(7999))
        XCTAssertEqual(s.metrics(9).first { $0.name == "name4" }?.value, .number(7949))
    }

    /// The memory figure for the report: a robot's two metrics are 22 bytes of arena (plus its
    /// 8-byte span); the load generator's six metrics per heartbeat, 66 (107 with every name
    /// spelled out per device, before names were kept once).
    func testWhatATypicalDeviceCosts() {
        var s = MetricSnapshots()
        for slot in 0..<1000 {
            s.added(DeviceSlot(slot))
            s.update(DeviceSlot(slot), [m("battery_pct", .number(87)), m("temp_c", .number(36.5))])
        }
        XCTAssertEqual(s.arenaBytes / 1000, 22)
        var load = MetricSnapshots()
        load.added(0)
        load.update(
            0, ["battery_pct", "temp_c", "cpu_pct", "mem_pct", "rssi_dbm", "disk_pct"].map { m($0, .number(1)) })
        XCTAssertEqual(load.arenaBytes, 66)
    }

    /// A device inventing names fills the name table, not memory: past `maxNames` a new name is
    /// not kept, while the names already known still are, for every device.
    func testNamesBeyondTheTableAreNotKept() {
        var s = MetricSnapshots()
        for slot in 0...1000 { s.added(DeviceSlot(slot)) }
        // Spread over 1,000 devices: one device keeps every name it ever sent (merged).
        for n in 0..<MetricSnapshots.maxNames { s.update(DeviceSlot(n % 1000), [m("n\(n)", .number(1))]) }
        s.update(1000, [m("n7", .number(2)), m("new", .number(3))])
        XCTAssertEqual(s.metrics(1000), [m("n7", .number(2))])
    }
}
