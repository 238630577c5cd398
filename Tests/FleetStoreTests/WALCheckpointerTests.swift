import Foundation
import XCTest

@testable import FleetCore
@testable import FleetStore

/// The daemon's writer leaves checkpoints to a background thread: without it the database file
/// does not receive committed pages; with it, it does, while the writer goes on committing.
final class WALCheckpointerTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("fleetwatch.db").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("checkpointer-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// 5,000 devices: a few hundred pages, far below the 1,000-page automatic checkpoint.
    private func commitDevices(_ writer: StoreWriter, from: Int = 0) throws {
        let records = (from..<from + 5_000).map {
            DeviceRecord(
                id: "robot-site042-\($0)", site: "tianshan", kind: "delivery-robot", name: nil,
                inventory: false, state: .online, stateSince: 1_795_699_804, lastSeen: 1_795_699_803)
        }
        _ = try writer.commit(records.map { .saveDevice($0) })
    }

    private func pragma(_ writer: StoreWriter, _ name: String) throws -> Int64 {
        var value: Int64 = -1
        try writer.db.prepare("PRAGMA \(name)").query { value = $0.int(0) }
        return value
    }

    func testABackgroundCheckpointingWriterOnlyCheckpointsItselfAsABackstop() throws {
        let writer = try StoreWriter(path: path, checkpointsInBackground: true)
        XCTAssertEqual(try pragma(writer, "wal_autocheckpoint"), Int64(StoreWriter.backstopCheckpointPages))
        XCTAssertEqual(try pragma(writer, "journal_size_limit"), 64 << 20)
        // Without the checkpointer, committed pages stay in the log (the control for the next test).
        let before = fileSize(path)
        try commitDevices(writer)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(fileSize(path), before)
        XCTAssertGreaterThan(fileSize(path + "-wal"), 100_000)
    }

    func testAPlainWriterKeepsSQLitesAutomaticCheckpoint() throws {
        let writer = try StoreWriter(path: path)
        XCTAssertEqual(try pragma(writer, "wal_autocheckpoint"), 1000)
    }

    func testTheCheckpointerCopiesTheLogIntoTheDatabaseWhileTheWriterCommits() throws {
        let writer = try StoreWriter(path: path, checkpointsInBackground: true)
        let failures = LockedCount()
        let checkpointer = WALCheckpointer(path: path, interval: 0.05) { _ in failures.add() }
        checkpointer.start()
        defer { checkpointer.stop() }
        let before = fileSize(path)
        try commitDevices(writer)
        let deadline = Date().addingTimeInterval(5)
        while fileSize(path) <= before + 100_000 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertGreaterThan(fileSize(path), before + 100_000)
        Thread.sleep(forTimeInterval: 0.2)  // let a checkpoint in progress finish
        // Once copied, the log starts over: more commits reuse it instead of growing it.
        let walAfterFirst = fileSize(path + "-wal")
        try commitDevices(writer, from: 5_000)
        XCTAssertLessThanOrEqual(fileSize(path + "-wal"), walAfterFirst + 4096)
        XCTAssertEqual(failures.value, 0)
    }

    /// A missing database is not created (it is the daemon's file, opened by the writer first),
    /// and a run of failures is reported once.
    func testStopReturnsAtOnceAndAFailureIsReportedOnce() throws {
        let failures = LockedCount()
        let missing = directory.appendingPathComponent("missing.db").path
        let checkpointer = WALCheckpointer(path: missing, interval: 0.02) { _ in failures.add() }
        checkpointer.start()
        let deadline = Date().addingTimeInterval(5)
        while failures.value == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        Thread.sleep(forTimeInterval: 0.2)  // ten more failed attempts
        let started = Date()
        checkpointer.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertEqual(failures.value, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
    }
}

private final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
