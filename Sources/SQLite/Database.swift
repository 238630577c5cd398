import CSQLite
import Glibc

/// One SQLite connection. Not thread-safe: each thread that needs the database opens its own.
public final class Database {
    public enum Mode: Sendable {
        /// Creates the file if it is missing.
        case readWrite
        /// A database that must already exist (a second connection to the daemon's own file).
        case readWriteExisting
        case readOnly
    }

    let handle: OpaquePointer
    public let path: String

    public init(path: String, mode: Mode = .readWrite) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags =
            switch mode {
            case .readWrite: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            case .readWriteExisting: SQLITE_OPEN_READWRITE
            case .readOnly: SQLITE_OPEN_READONLY
            }
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }  // always SQLITE_OK (see deinit)
            throw SQLiteError(code: rc, message: message, context: "open \(path)")
        }
        self.handle = db
        self.path = path
        try setBusyTimeout(milliseconds: 5000)
    }

    /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int32) throws(SQLiteError) {
        try check(sqlite3_busy_timeout(handle, milliseconds), "busy_timeout")
    }

    /// Like `setBusyTimeout`, but tries the lock again every `busyPollMicroseconds` instead of
    /// SQLite's own schedule, which sleeps 1, 2, 5, 10 … 100 ms between tries: a connection that
    /// meets another's short write transaction (the notifier moving its position after each
    /// delivery) slept up to 100 ms at a time although the lock was free after a fraction of a
    /// millisecond. For the engine loop's writer, whose commits due deadlines wait for.
    public func setBusyPolling(milliseconds: Int32) throws(SQLiteError) {
        let tries = Int(milliseconds) * 1000 / Int(Self.busyPollMicroseconds)
        try check(
            sqlite3_busy_handler(handle, pollingBusyHandler, UnsafeMutableRawPointer(bitPattern: tries)), "busy_handler"
        )
    }

    /// How often `setBusyPolling` tries again.
    public static let busyPollMicroseconds: UInt32 = 100

    /// `sqlite3_close_v2` always returns SQLITE_OK: with statements still open it defers the close
    /// until they are finalized (a "zombie" connection), so there is no error to handle.
    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message, context: String(sql.prefix(60)))
        }
    }

    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try within("BEGIN IMMEDIATE", body)
    }

    /// Runs `body` as one read snapshot (BEGIN DEFERRED … COMMIT): it sees one committed state
    /// and, unlike `transaction`, takes no write lock, so it never holds up the writer.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try within("BEGIN DEFERRED", body)
    }

    private func within<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    @inline(__always)
    func check(_ rc: Int32, _ context: @autoclosure () -> String) throws(SQLiteError) {
        guard rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE else {
            throw SQLiteError(code: rc, message: lastErrorMessage, context: context())
        }
    }
}

/// SQLite's busy handler for `setBusyPolling`: `context` is the number of tries allowed (an
/// integer in the pointer), `count` how many were made; 0 gives up (SQLITE_BUSY), 1 tries again.
private let pollingBusyHandler: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32 = { context, count in
    guard Int(count) < Int(bitPattern: context) else { return 0 }
    // Its only failure, EINTR (a signal), shortens this one wait; the tries stay bounded.
    _ = usleep(Database.busyPollMicroseconds)
    return 1
}
