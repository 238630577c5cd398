import Foundation
import SQLite
import XCTest

/// `Database.setBusyPolling`: the engine's writer waits for another connection's lock by trying
/// again every 100 µs, and still gives up (SQLITE_BUSY) after its timeout.
final class BusyPollingTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("busy.db").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("busy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let db = try Database(path: path)
        try db.execute("PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)")
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func testALockHeldPastTheTimeoutIsBusy() throws {
        let holder = try Database(path: path, mode: .readWriteExisting)
        try holder.execute("BEGIN IMMEDIATE")
        let writer = try Database(path: path, mode: .readWriteExisting)
        try writer.setBusyPolling(milliseconds: 30)
        XCTAssertThrowsError(try writer.execute("BEGIN IMMEDIATE")) { error in
            XCTAssertEqual((error as? SQLiteError)?.isBusy, true, "\(error)")
        }
        try holder.execute("ROLLBACK")
    }

    func testTheLockIsTakenOnceTheOtherConnectionLetsGo() throws {
        let released = DispatchSemaphore(value: 0)
        let path = self.path
        let holder = Thread {
            do {
                let db = try Database(path: path, mode: .readWriteExisting)
                try db.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)")
                Thread.sleep(forTimeInterval: 0.05)
                try db.execute("COMMIT")
            } catch {
                XCTFail("\(error)")
            }
            released.signal()
        }
        holder.start()
        Thread.sleep(forTimeInterval: 0.01)
        let writer = try Database(path: path, mode: .readWriteExisting)
        try writer.setBusyPolling(milliseconds: 2000)
        try writer.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT")
        released.wait()
        var rows = 0
        try writer.prepare("SELECT COUNT(*) FROM t").query { rows = Int($0.int(0)) }
        XCTAssertEqual(rows, 2)
    }
}
