import Foundation
import Postgres
import SQLite
import Synchronization
import XCTest

@testable import FleetCore
@testable import FleetStore

/// What only PostgreSQL has: the active lock fences every commit, a lost connection stops the
/// writer instead of hanging it, migrations are taken in turn, readers cannot write, and the
/// schema keeps mirroring SQLite's.
final class PostgresStoreTests: XCTestCase {
    private let t0 = StoreFixtures.t0

    private func session(_ target: PostgresTarget, node: String = "n1") throws -> PostgresConnection {
        try PostgresStore.session(target, node: node)
    }

    private func count(_ table: String, _ target: PostgresTarget) throws -> Int64 {
        try PostgresConnection(url: target.url).query("SELECT count(*) FROM \(table)")[0].int(0)
    }

    func testACommitWithoutTheActiveLockWritesNothing() throws {
        let target = try SharedCluster.target(self)
        let writer = PostgresStoreWriter(node: "n1")
        XCTAssertThrowsError(try writer.commit([.saveDevice(StoreFixtures.device("robot-01"))], lastSeen: [])) {
            XCTAssertEqual($0 as? StoreFailure, .notActive("no session holding the active lock yet"))
        }
        writer.attach(try PostgresSession(target, node: "n1"))  // a session, but the lock was never taken
        XCTAssertThrowsError(try writer.commit([.saveDevice(StoreFixtures.device("robot-01"))], lastSeen: [])) {
            XCTAssertEqual($0 as? StoreFailure, .notActive("the session no longer holds the active lock"))
        }
        XCTAssertFalse(writer.isAttached, "a session without the lock is dropped")
        XCTAssertEqual(try count("devices", target), 0)
        XCTAssertEqual(try count("events", target), 0)
    }

    func testTheLockTakenOnTheSessionLetsItCommitAndASecondNodeIsRefused() throws {
        let target = try SharedCluster.target(self)
        let writer = try PostgresStore.singleWriter(target, node: "n1")
        let events = try writer.commit(
            [
                .saveIncident(StoreFixtures.incident(1)),
                .announce(StoreFixtures.event(.open, incident: 1, at: t0)),
            ], lastSeen: [])
        XCTAssertEqual(events.map(\.sequence), [1])
        XCTAssertThrowsError(try PostgresStore.singleWriter(target, node: "n2")) {
            XCTAssertTrue("\($0)".contains("another fleetwatchd (n1) is active"), "\($0)")
        }
    }

    func testALockReleasedUnderTheWriterStopsItsNextCommit() throws {
        let target = try SharedCluster.target(self)
        let session = try PostgresSession(target, node: "n1")
        XCTAssertTrue(try session.tryTakeActiveLock())
        let writer = PostgresStoreWriter(node: "n1")
        writer.attach(session)
        XCTAssertEqual(try writer.commit([], lastSeen: [("robot-01", t0)]), [])
        // Someone (a bug, an operator) releases it: the next commit must not go through.
        XCTAssertTrue(try session.connection.advisoryUnlock(PostgresActiveLock.key))
        let other = try self.session(target, node: "n2")
        XCTAssertTrue(try PostgresActiveLock.tryTake(on: other))
        XCTAssertThrowsError(
            try writer.commit(
                [.announce(StoreFixtures.event(.open, incident: 1, at: t0))],
                lastSeen: [])
        ) {
            XCTAssertEqual($0 as? StoreFailure, .notActive("the session no longer holds the active lock"))
        }
        XCTAssertEqual(try count("events", target), 0, "the fenced transaction rolled back")
    }

    func testALostConnectionStopsTheWriterAtOnceAndReleasesTheLock() throws {
        let target = try SharedCluster.target(self)
        let writer = try PostgresStore.singleWriter(target, node: "n1")
        let admin = try PostgresConnection(url: target.url)
        // The server ends the writer's session, as a restart or a network cut would.
        try admin.query(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'fleetwatchd n1' AND pid <> pg_backend_pid()
            """)
        let started = Date()
        XCTAssertThrowsError(try writer.commit([.saveDevice(StoreFixtures.device("robot-01"))], lastSeen: [])) {
            guard case .notActive(let why) = $0 as? StoreFailure else { return XCTFail("\($0)") }
            XCTAssertTrue(why.hasPrefix("the database connection was lost"), why)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertFalse(writer.isAttached)
        XCTAssertTrue(try PostgresActiveLock.tryTake(on: session(target, node: "n2")), "the lock went with the session")
    }

    /// History is written like every other commit of the active node: a writer whose session
    /// does not hold the lock interns no names and writes no samples.
    func testHistoryIsFencedToTheActiveLock() throws {
        let target = try SharedCluster.target(self)
        let writer = PostgresStoreWriter(node: "n1")
        writer.attach(try PostgresSession(target, node: "n1"))  // a session, but the lock was never taken
        let sample = HistorySample(device: "robot-01", time: t0, values: [.init(metric: "battery_pct", value: 80)])
        XCTAssertThrowsError(try writer.prepareHistory([sample])) {
            XCTAssertEqual($0 as? StoreFailure, .notActive("the session no longer holds the active lock"))
        }
        XCTAssertEqual(try count("history_devices", target), 0)
        XCTAssertEqual(try count("history_metrics", target), 0)
        let active = try PostgresStore.singleWriter(target, node: "n2")
        var write = HistoryWrite()
        write.samples = try active.prepareHistory([sample])[...]
        writer.attach(try PostgresSession(target, node: "n1"))
        XCTAssertThrowsError(try writer.writeHistory(write)) {
            XCTAssertEqual($0 as? StoreFailure, .notActive("the session no longer holds the active lock"))
        }
        XCTAssertEqual(try count("history_samples", target), 0)
        _ = try active.writeHistory(write)
        XCTAssertEqual(try count("history_samples", target), 1)
    }

    func testTwoNodesMigratingAtOnceTakeTurns() throws {
        let target = try SharedCluster.target(self)
        let errors = GatheredErrors()
        let group = DispatchGroup()
        for node in ["a", "b", "c"] {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do { _ = try PostgresStore.session(target, node: node) } catch { errors.add("\(error)") }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(errors.all, [])
        let db = try PostgresConnection(url: target.url)
        XCTAssertEqual(try PostgresSchema.version(db), PostgresSchema.migrations.count)
        XCTAssertEqual(try db.query("SELECT count(*) FROM meta WHERE key = 'instance'")[0].int(0), 1, "migrated once")
    }

    func testADatabaseFromANewerBuildIsRefused() throws {
        let target = try SharedCluster.target(self)
        let db = try session(target)
        try db.query(
            "UPDATE fleetwatch_schema SET version = $1", [.integer(Int64(PostgresSchema.migrations.count + 1))])
        XCTAssertThrowsError(try session(target)) { XCTAssertTrue("\($0)".contains("newer than this build"), "\($0)") }
    }

    func testAReaderCannotWriteAndAnEmptyDatabaseIsNamed() throws {
        let target = try SharedCluster.target(self)
        XCTAssertThrowsError(try PostgresStoreReader(target)) {
            XCTAssertTrue("\($0)".contains("no Fleetwatch data yet"), "\($0)")
        }
        XCTAssertEqual(
            try PostgresStoreReader(target, allowingEmpty: true).reportRows(from: t0, to: t0 + 1, site: nil)
                .devices, [])
        _ = try session(target)
        let reader = try PostgresStoreReader(target)
        XCTAssertThrowsError(try reader.db.execute("DELETE FROM devices")) {
            XCTAssertEqual(($0 as? PostgresError)?.sqlState, "25006", "read-only transaction")
        }
    }

    /// The guard for every later migration: a column added to SQLite's schema and not to
    /// PostgreSQL's (or the other way) fails here.
    func testTheSchemaMirrorsSQLiteTableForTable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try StoreWriter(path: directory.appendingPathComponent("f.db").path)
        var lite: [String: Set<String>] = [:]
        var tables: [String] = []
        try sqlite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .query { tables.append($0.text(0)) }
        for table in tables {
            try sqlite.db.prepare("SELECT name FROM pragma_table_info(?1)").query([.text(table)]) {
                lite[table, default: []].insert($0.text(0))
            }
        }
        let db = try session(try SharedCluster.target(self))
        var pg: [String: Set<String>] = [:]
        for row in try db.query(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> 'fleetwatch_schema'
            """)
        { pg[row.text(0), default: []].insert(row.text(1)) }
        // On purpose: a status row per node with its role (several daemons share the database).
        lite["daemon_status"]?.remove("id")
        lite["daemon_status"]?.formUnion(["node", "role"])
        XCTAssertEqual(Set(pg.keys), Set(lite.keys))
        for table in lite.keys.sorted() { XCTAssertEqual(pg[table], lite[table], table) }
    }
}

/// Errors gathered from several threads.
private final class GatheredErrors: Sendable {
    private let errors = Mutex<[String]>([])
    func add(_ error: String) { errors.withLock { $0.append(error) } }
    var all: [String] { errors.withLock { $0 } }
}
