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
            DeviceRecord(id: "robot-site042-\($0)", site: "tianshan", kind: "delivery-robot", name: nil,
                         inventory: false, state: .online, stateSince: 1_795_699_804, lastSeen: 1_795_699_803)
        }
        _ = try writer.commit(records.map { .saveDevice($0) })
    }

    func testWithoutTheCheckpointerCommittedPagesStayInTheLog() throws {
        let writer = try StoreWriter(path: path, automaticCheckpoints: false)
        let before = fileSize(path)
        try commitDevices(writer)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(fileSize(path), before)
        XCTAssertGreaterThan(fileSize(path + "-wal"), 100_000)
    }

    func testTheCheckpointerCopiesTheLogIntoTheDatabaseWhileTheWriterCommits() throws {
        let writer = try StoreWriter(path: path, automaticCheckpoints: false)
        let failures = LockedCount()
        let checkpointer = WALCheckpointer(path: path, interval: 0.05) { _ in failures.add() }
        checkpointer.start()
        defer { checkpointer.stop() }
        let before = fileSize(path)
        try commitDevices(writer)
        let deadline = Date().addingTimeInterval(5)
        while fileSize(path) <= before && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertGreaterThan(fileSize(path), before + 100_000)
        // Once copied, the log starts over: more commits reuse it instead of growing it.
        let walAfterFirst = fileSize(path + "-wal")
        Thread.sleep(forTimeInterval: 0.2)
        try commitDevices(writer, from: 5_000)
        XCTAssertLessThanOrEqual(fileSize(path + "-wal"), walAfterFirst + 4096)
        XCTAssertEqual(failures.value, 0)
    }

    func testStopReturnsAtOnceAndAFailureIsReportedOnce() throws {
        let failures = LockedCount()
        let checkpointer = WALCheckpointer(path: directory.appendingPathComponent("missing/dir/x.db").path,
                                           interval: 0.02) { _ in failures.add() }
        checkpointer.start()
        Thread.sleep(forTimeInterval: 0.3)
        let started = Date()
        checkpointer.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertEqual(failures.value, 1)
    }
}

private final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
