import Foundation
import SQLite
import XCTest

@testable import FleetCore
@testable import FleetStore

/// Maintenance windows in the database: one-off and recurring windows survive a restart, and a
/// database from before recurring windows gains the column with its windows kept.
final class MaintenanceStoreTests: XCTestCase {
    /// A fresh directory per test (XCTest makes an instance per test method).
    private let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("maintenance-store-\(UUID().uuidString)", isDirectory: true)
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }
    private let t0 = 1_795_699_804.0  // 2026-11-26T21:30:04+08:00

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func windows() throws -> [MaintenanceWindow] {
        [
            MaintenanceWindow(
                id: 1, site: "tianshan", from: t0, until: t0 + 3600, reason: "power work", createdBy: "li.wei"),
            MaintenanceWindow(
                id: 2, site: "tianshan", from: t0, until: MaintenanceWindow.noEnd, reason: "closed at night",
                createdBy: "li.wei", every: try MaintenanceRecurrence.parse("daily 21:00-09:00").get()),
            MaintenanceWindow(
                id: 3, device: "robot-01", from: t0, until: t0 + 30 * 86400, createdBy: "wang.fang",
                every: try MaintenanceRecurrence.parse("sun 02:00-04:00").get()),
        ]
    }

    func testOneOffAndRecurringWindowsSurviveARestartAndAreListed() throws {
        let stored = try windows()
        do {
            let writer = try StoreWriter(path: path)
            _ = try writer.commit(stored.map { .saveMaintenance($0) })
        }
        let writer = try StoreWriter(path: path)
        XCTAssertEqual(try writer.restore().maintenance, stored)
        XCTAssertEqual(try writer.restore().nextMaintenanceID, 4)
        XCTAssertEqual(try StoreReader(path: path).maintenanceWindows(current: t0 + 7200), Array(stored.dropFirst()))
    }

    func testADatabaseFromBeforeRecurringWindowsKeepsItsWindows() throws {
        do {
            let db = try Database(path: path)
            for sql in Schema.migrations.dropLast() { try db.execute(sql) }
            try db.execute("PRAGMA user_version = \(Schema.migrations.count - 1)")
            try db.execute(
                """
                INSERT INTO maintenance(id, site, device, starts_at, ends_at, reason, created_by, removed_at)
                VALUES (7, 'tianshan', NULL, \(t0), \(t0 + 3600), 'power work', 'li.wei', NULL)
                """)
        }
        let writer = try StoreWriter(path: path)
        XCTAssertEqual(
            try writer.restore().maintenance,
            [
                MaintenanceWindow(
                    id: 7, site: "tianshan", from: t0, until: t0 + 3600, reason: "power work", createdBy: "li.wei")
            ])
    }

    func testARecurrenceThisBuildCannotReadLeavesTheWindowInert() throws {
        do {
            let writer = try StoreWriter(path: path)
            _ = try writer.commit([.saveMaintenance(try windows()[1])])
            try writer.db.execute("UPDATE maintenance SET every = 'fortnightly 21:00-09:00'")
        }
        let restored = try StoreWriter(path: path).restore().maintenance
        XCTAssertEqual(restored.map(\.removedAt), [t0])
        XCTAssertFalse(restored[0].isActive(at: t0 + 10, clock: LocalClock(zone: .gmt)))
    }
}
