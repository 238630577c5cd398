import Foundation
import PostgresTestSupport
import XCTest

@testable import Postgres

/// The libpq layer against a real server: values round-trip, errors carry their SQLSTATE,
/// transactions roll back, advisory locks exclude, and a dead server is noticed.
final class PostgresConnectionTests: XCTestCase {
    // One cluster for the class (initdb takes seconds); tests use tables of their own.
    nonisolated(unsafe) private static let started = Result { try PostgresServer() }

    private func server() throws -> PostgresServer { try Self.started.get() }

    private func connect() throws -> PostgresConnection { try PostgresConnection(url: try server().url) }

    func testValuesRoundTripExactly() throws {
        let db = try connect()
        try db.execute("DROP TABLE IF EXISTS t; CREATE TABLE t (s TEXT, i BIGINT, d DOUBLE PRECISION, b BOOLEAN)")
        let values: [(String?, Int64, Double)] = [
            ("天山路街道图书馆", Int64.max, 1_795_699_804.12),
            (nil, Int64.min, 0.1 + 0.2),
            ("quote ' and \\ backslash", 0, -1e-300),
        ]
        for (s, i, d) in values {
            try db.query(
                "INSERT INTO t VALUES ($1, $2, $3, $4)", [PostgresValue(s), .integer(i), .real(d), .bool(i > 0)])
        }
        let rows = try db.query("SELECT s, i, d, b FROM t ORDER BY i DESC")
        XCTAssertEqual(rows.columns, ["s", "i", "d", "b"])
        XCTAssertEqual(rows.map { $0.optionalText(0) }, ["天山路街道图书馆", "quote ' and \\ backslash", nil])
        XCTAssertEqual(rows.map { $0.int(1) }, [Int64.max, 0, Int64.min])
        XCTAssertEqual(rows.map { $0.double(2) }, [1_795_699_804.12, -1e-300, 0.1 + 0.2])
        XCTAssertEqual(rows.map { $0.bool(3) }, [true, false, false])
    }

    func testAnErrorCarriesItsSQLStateAndTheStatement() throws {
        let db = try connect()
        try db.execute("DROP TABLE IF EXISTS u; CREATE TABLE u (id INTEGER PRIMARY KEY)")
        try db.query("INSERT INTO u VALUES (1)")
        XCTAssertThrowsError(try db.query("INSERT INTO u VALUES (1)")) { error in
            let pg = error as? PostgresError
            XCTAssertEqual(pg?.sqlState, "23505")
            XCTAssertEqual(pg?.context, "INSERT INTO u VALUES (1)")
            XCTAssertFalse(pg?.isConnectionLost ?? true)
        }
        XCTAssertTrue(db.isConnected, "an error in a statement keeps the connection")
    }

    func testATransactionThatThrowsLeavesNothing() throws {
        let db = try connect()
        try db.execute("DROP TABLE IF EXISTS v; CREATE TABLE v (x INTEGER)")
        struct Stop: Error {}
        XCTAssertThrowsError(
            try db.transaction {
                try db.query("INSERT INTO v VALUES (1)")
                throw Stop()
            })
        XCTAssertEqual(try db.query("SELECT count(*) FROM v")[0].int(0), 0)
        try db.transaction { try db.query("INSERT INTO v VALUES (2)") }
        XCTAssertEqual(try db.query("SELECT count(*) FROM v")[0].int(0), 1)
    }

    func testAnAdvisoryLockHasOneHolderAndPassesOnWhenItsSessionEnds() throws {
        var first: PostgresConnection? = try connect()
        let second = try connect()
        let key: Int64 = 0x6677_6174_6368  // "fwatch"
        XCTAssertEqual(try first?.tryAdvisoryLock(key), true)
        XCTAssertEqual(try first?.holdsAdvisoryLock(key), true)
        XCTAssertFalse(try second.tryAdvisoryLock(key))
        XCTAssertFalse(try second.holdsAdvisoryLock(key))
        first = nil  // the session ends: the server releases its locks
        XCTAssertTrue(waitUntil(5) { (try? second.tryAdvisoryLock(key)) == true })
        XCTAssertTrue(try second.holdsAdvisoryLock(key))
    }

    func testAServerThatDiesIsNoticedAsALostConnection() throws {
        let own = try PostgresServer()  // its own cluster: this test kills it
        let db = try PostgresConnection(url: own.url)
        XCTAssertEqual(try db.query("SELECT 1")[0].int(0), 1)
        own.kill()
        XCTAssertThrowsError(try db.query("SELECT 1")) {
            XCTAssertEqual(($0 as? PostgresError)?.isConnectionLost, true, String(describing: $0))
        }
        XCTAssertFalse(db.isConnected)
        try own.start()
        XCTAssertEqual(
            try PostgresConnection(url: own.url).query("SELECT 2")[0].int(0), 2, "a new connection works again")
    }

    func testAWrongAddressFailsWithinTheConnectTimeoutAndSaysWhere() throws {
        let started = Date()
        XCTAssertThrowsError(
            try PostgresConnection(url: "postgresql://postgres@127.0.0.1:1/postgres", connectTimeout: 2)
        ) {
            let text = String(describing: $0)
            XCTAssertTrue(text.hasPrefix("connect to 127.0.0.1:1/postgres:"), text)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testAPasswordIsNeverInAnError() throws {
        let server = try server()
        XCTAssertThrowsError(
            try PostgresConnection(url: "postgresql://postgres:s3cret-pw@127.0.0.1:\(server.port)/nosuchdb")
        ) {
            XCTAssertFalse(String(describing: $0).contains("s3cret-pw"), String(describing: $0))
        }
    }
}

func waitUntil(_ timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}
