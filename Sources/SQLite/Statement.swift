import CSQLite

/// A prepared statement, reused across executions: bind, step, read columns, reset.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    let sql: String

    init(database: Database, sql: String) throws(SQLiteError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(code: rc, message: database.lastErrorMessage, context: String(sql.prefix(80)))
        }
        self.handle = stmt
        self.database = database
        self.sql = sql
    }

    /// `sqlite3_finalize` and `sqlite3_reset` return the error of the statement's last step, which
    /// `step()`/`run()` has already thrown; `sqlite3_clear_bindings` always returns SQLITE_OK.
    /// Their results carry nothing new and are not checked again.
    deinit { sqlite3_finalize(handle) }

    /// Binds values to ?1, ?2, … in order. Clears earlier bindings and resets the statement.
    @discardableResult
    public func bind(_ values: [SQLValue]) throws(SQLiteError) -> Statement {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            // With its byte length, not -1 (up to the first NUL): a NUL inside an operator's text is
            // stored, not cut off there.
            case .text(let v):
                var text = v
                rc = text.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, !utf8.isEmpty else {
                        return sqlite3_bind_text(handle, index, "", 0, fleetwatch_sqlite_transient())  // "", not NULL
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(utf8.count), fleetwatch_sqlite_transient())
                    }
                }
            case .blob(let v):
                // A zero-length blob is bound as one, not as NULL (a nil pointer would be NULL).
                rc = v.withUnsafeBytes { raw in
                    sqlite3_bind_blob(
                        handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(v.count),
                        fleetwatch_sqlite_transient())
                }
            }
            try database.check(rc, "bind \(index) of \(sql.prefix(60))")
        }
        return self
    }

    /// Executes a statement that returns no rows.
    public func run(_ values: [SQLValue] = []) throws(SQLiteError) {
        try bind(values)
        let rc = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        try database.check(rc, String(sql.prefix(60)))
    }

    /// Steps to the next row; false when done.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        try database.check(rc, String(sql.prefix(60)))
        return false
    }

    /// Reads every row through `row`, after binding `values`.
    public func query(_ values: [SQLValue] = [], _ row: (Row) throws -> Void) throws {
        try bind(values)
        while try step() { try row(Row(statement: handle)) }
    }

    public struct Row {
        let statement: OpaquePointer
        public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
        public func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
        public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
        public func text(_ column: Int32) -> String {
            guard let c = sqlite3_column_text(statement, column) else { return "" }
            let count = Int(sqlite3_column_bytes(statement, column))  // after column_text, as SQLite asks
            return String(decoding: UnsafeBufferPointer(start: c, count: count), as: UTF8.self)
        }
        public func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
        /// The column's bytes (sqlite3_column_blob's pointer is valid until the next step, so they are copied).
        public func blob(_ column: Int32) -> [UInt8] {
            let base = sqlite3_column_blob(statement, column)  // first, then its size (sqlite3.h)
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let base else { return [] }
            return Array(UnsafeRawBufferPointer(start: base, count: count))
        }
        public func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }
        public func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    }
}
