import Foundation
import SQLite
import XCTest

@testable import FleetCore
@testable import FleetStore

/// Device state history (the inspection report's basis): every state change the writer commits
/// is recorded with its time, by the schema itself, and read back for a period.
final class StateHistoryTests: XCTestCase {
    /// A directory of its own per test (XCTest makes a new instance per test), never the temp root.
    private let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("statehistory-tests-\(UUID().uuidString)", isDirectory: true)
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }
    private let t0 = 1_795_699_804.0  // 2026-11-26T21:30:04+08:00

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func device(
        _ id: String, _ state: DeviceState, at time: Double, site: String = "tianshan",
        firmware: String? = nil
    ) -> DeviceRecord {
        DeviceRecord(
            id: id, site: site, kind: "face-gate", inventory: false, state: state, stateSince: time,
            lastSeen: time, firmware: firmware)
    }

    private func history(_ db: Database, _ id: String) throws -> [DeviceStateChange] {
        var out: [DeviceStateChange] = []
        try db.prepare("SELECT ts, state FROM device_states WHERE device = ?1 ORDER BY ts").query([.text(id)]) {
            out.append(DeviceStateChange(time: $0.double(0), state: $0.text(1)))
        }
        return out
    }

    func testEveryStateChangeIsRecordedWithItsTimeAndNothingElseIs() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([.saveDevice(device("gate-01", .unknown, at: t0))])
        _ = try writer.commit([.saveDevice(device("gate-01", .online, at: t0 + 5))])
        // A save that changes only the firmware, and a last_seen flush, are not state changes.
        _ = try writer.commit(
            [.saveDevice(device("gate-01", .online, at: t0 + 5, firmware: "2.1"))],
            lastSeen: [("gate-01", t0 + 60)])
        _ = try writer.commit([
            .saveDevice(device("gate-01", .offline, at: t0 + 100)),
            .saveDevice(device("gate-01", .online, at: t0 + 200)),
        ])
        XCTAssertEqual(
            try history(writer.db, "gate-01"),
            [
                DeviceStateChange(time: t0, .unknown), DeviceStateChange(time: t0 + 5, .online),
                DeviceStateChange(time: t0 + 100, .offline), DeviceStateChange(time: t0 + 200, .online),
            ])
    }

    /// Two changes in one instant keep the later one (the state from then on); a wall clock that
    /// steps back records the change at the previous change's time, so the history stays in order.
    func testSameInstantKeepsTheLastStateAndABackwardClockKeepsTheOrder() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .saveDevice(device("gate-01", .online, at: t0)),
            .saveDevice(device("gate-01", .maintenance, at: t0 + 10)),
            .saveDevice(device("gate-01", .offline, at: t0 + 10)),
        ])
        _ = try writer.commit([.saveDevice(device("gate-01", .online, at: t0 + 4))])
        XCTAssertEqual(
            try history(writer.db, "gate-01"),
            [
                DeviceStateChange(time: t0, .online), DeviceStateChange(time: t0 + 10, .online),
            ])
    }

    /// A database from before state history: the migration records every device's state as of
    /// that moment and says from when history runs; nothing earlier is invented.
    func testTheMigrationStartsHistoryWithEachDevicesCurrentState() throws {
        let mine = try XCTUnwrap(Schema.migrations.firstIndex { $0.contains("CREATE TABLE device_states") })
        do {
            let db = try Database(path: path)
            for sql in Schema.migrations.prefix(mine) { try db.execute(sql) }
            try db.execute("PRAGMA user_version = \(mine)")
            try db.execute(
                """
                INSERT INTO devices(id, site, kind, inventory, state, state_since) VALUES
                ('gate-01', 'tianshan', 'face-gate', 1, 'offline', \(t0 - 86400))
                """)
        }
        let before = Date().timeIntervalSince1970.rounded(.down)
        let writer = try StoreWriter(path: path)
        let after = Date().timeIntervalSince1970
        let reader = try StoreReader(path: path)
        let since = try XCTUnwrap(try reader.stateHistorySince())
        XCTAssertGreaterThanOrEqual(since, before)
        XCTAssertLessThanOrEqual(since, after)
        XCTAssertEqual(try history(writer.db, "gate-01"), [DeviceStateChange(time: since, .offline)])
    }

    func testAPeriodReadsEachDevicesStateAtItsStartAndTheChangesInIt() throws {
        let writer = try StoreWriter(path: path)
        _ = try writer.commit([
            .saveDevice(device("gate-01", .online, at: t0)),
            .saveDevice(device("robot-01", .online, at: t0, site: "central")),
        ])
        _ = try writer.commit([.saveDevice(device("gate-01", .offline, at: t0 + 100))])
        _ = try writer.commit([.saveDevice(device("gate-01", .online, at: t0 + 200))])
        _ = try writer.commit([.saveDevice(device("gate-01", .offline, at: t0 + 300))])
        let reader = try StoreReader(path: path)
        let rows = try reader.reportRows(from: t0 + 150, to: t0 + 300)
        XCTAssertEqual(rows.stateAtStart, ["gate-01": "offline", "robot-01": "online"])
        XCTAssertEqual(rows.changes, ["gate-01": [DeviceStateChange(time: t0 + 200, .online)]])
        XCTAssertEqual(try reader.reportRows(from: t0 - 10, to: t0 + 300).stateAtStart, [:], "nothing before t0")
        let tianshan = try reader.reportRows(from: t0 + 150, to: t0 + 300, site: "tianshan")
        XCTAssertEqual(tianshan.devices.map(\.id), ["gate-01"])
        XCTAssertEqual(Set(tianshan.stateAtStart.keys), ["gate-01"])
    }

    /// Opened in the period, carried over unresolved, or with a deadline in it: read; resolved
    /// before it or opened after it: not. Their events come without UPDATE lines.
    func testAPeriodReadsTheIncidentsThatMatterToIt() throws {
        let writer = try StoreWriter(path: path)
        func incident(_ id: Int64, opened: Double, resolved: Double?, respondBy: Double? = nil) -> Incident {
            Incident(
                id: id, priority: .p2, status: resolved == nil ? .open : .resolved, rule: .offline, scope: .device,
                site: "tianshan", device: "gate-01", openedAt: opened, resolvedAt: resolved,
                respondBy: respondBy ?? opened + 7200, summary: "x", announced: true)
        }
        let from = t0
        let to = t0 + 86400
        _ = try writer.commit([
            .saveIncident(incident(1, opened: from + 10, resolved: from + 20)),
            .saveIncident(incident(2, opened: from - 500, resolved: nil)),
            .saveIncident(incident(3, opened: from - 500, resolved: from - 100, respondBy: from - 200)),
            .saveIncident(incident(4, opened: from - 500, resolved: from - 400, respondBy: from + 60)),
            .saveIncident(incident(5, opened: to + 1, resolved: nil)),
            .announce(AlertEvent(time: from + 10, kind: .open, priority: .p2, incidentID: 1, fields: [])),
            .announce(AlertEvent(time: from + 11, kind: .update, priority: .p2, incidentID: 1, fields: [])),
            .announce(
                AlertEvent(
                    time: from + 20, kind: .resolve, priority: .p2, incidentID: 1,
                    fields: [.init("by", "auto")])),
        ])
        let rows = try StoreReader(path: path).reportRows(from: from, to: to)
        XCTAssertEqual(rows.incidents.map(\.id), [1, 2, 4])
        XCTAssertEqual(rows.events[1]?.map(\.kind), [.open, .resolve])
    }

    func testAnEmptyDatabaseFileReadsAsNothing() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertThrowsError(try StoreReader(path: path))
        let rows = try StoreReader(path: path, allowingEmpty: true).reportRows(from: t0, to: t0 + 1)
        XCTAssertNil(rows.historySince)
        XCTAssertTrue(rows.devices.isEmpty && rows.incidents.isEmpty)
    }
}
