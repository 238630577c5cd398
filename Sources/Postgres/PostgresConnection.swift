import CPostgres

/// One libpq connection (the only importer of CPostgres is this module). Not thread-safe: each
/// thread that needs the database opens its own, as with SQLite.
///
/// `@unchecked Sendable` so that a connection can be handed from the thread that opened it to the
/// one that uses it (the daemon's HA election thread takes the advisory lock on a connection and
/// hands that very connection to the engine loop, which commits on it). libpq allows a connection
/// to move between threads; what it forbids is two threads using it at once, and the owners
/// never do: whoever hands a connection over keeps no reference to it.
public final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Where we connected, for messages: host and database, never the password.
    public let target: String

    /// `url` is a libpq connection string or `postgresql://` URI; a password comes from it, from
    /// `~/.pgpass` or from `PGPASSFILE`, as libpq does it, or from `password` (read from a file by
    /// the caller), which wins over them. Without a `connect_timeout` of its own, connecting gives
    /// up after `connectTimeout` seconds instead of waiting forever.
    ///
    /// `defaults` are libpq keywords the URI may override (keepalives, `application_name`);
    /// they go before it, since with `expand_dbname` a later keyword overrides an earlier one.
    public init(
        url: String, password: String? = nil, defaults: [(String, String)] = [],
        connectTimeout: Int = 5
    ) throws(PostgresError) {
        var keywords = ["connect_timeout", "client_encoding"] + defaults.map(\.0) + ["dbname"]
        var values = [String(connectTimeout), "UTF8"] + defaults.map(\.1) + [url]
        if let password {
            keywords.append("password")
            values.append(password)
        }
        // libpq: with expand_dbname, the URI's own keywords override the ones listed before it.
        let connection = Self.withCStrings(keywords) { k in
            Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let connection else {
            throw PostgresError(message: "out of memory", context: "connect")
        }
        handle = connection
        target = Self.describe(connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            // No PQfinish here: the handle is stored, so deinit finishes it once this init throws.
            throw PostgresError(message: Self.trimmed(PQerrorMessage(connection)), context: "connect to \(target)")
        }
        // NOTICEs (e.g. "relation already exists, skipping") would go to stderr by default.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// False once the server went away or the socket broke (libpq notices on the next call).
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server process serving this session (`pg_backend_pid()`), known without a round trip.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Whether `url` parses as a libpq connection string or URI; the parser's reason when not.
    /// Checks the form only (no connection); the reason never repeats the text, which may hold
    /// a password.
    public static func problem(inURL url: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            defer { if let error { PQfreemem(error) } }
            guard let error else { return "cannot be parsed" }
            let reason = trimmed(error)
            // libpq quotes the offending part, which may be the password: keep its words only.
            var words = String(reason.prefix { $0 != "\"" })
            while let last = words.last, last == " " || last == ":" { words.removeLast() }
            return words.isEmpty ? "cannot be parsed" : words
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val,
                let problem = valueProblem(String(cString: keyword), String(cString: value))
            {
                return problem
            }
            option += 1
        }
        return nil
    }

    /// Values libpq parses but only refuses when it connects: found by `--check-config` instead.
    static func valueProblem(_ keyword: String, _ value: String) -> String? {
        switch keyword {
        case "port":
            let ports = value.split(separator: ",", omittingEmptySubsequences: false)
            guard ports.allSatisfy({ UInt16($0).map { $0 > 0 } ?? false }) else {
                return "has a port that is not 1-65535"
            }
        case "sslmode":
            guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(value) else {
                return "has an sslmode that is not disable, allow, prefer, require, verify-ca or verify-full"
            }
        case "connect_timeout":
            guard Int(value).map({ $0 >= 0 }) ?? false else { return "has a connect_timeout that is not whole seconds" }
        default:
            break
        }
        return nil
    }

    /// Runs one or more statements that return no rows (a migration script, say).
    public func execute(_ sql: String) throws(PostgresError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, context: String(sql.prefix(60)))
    }

    /// One statement with `$1`, `$2`, … parameters, sent in text format.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresRows {
        let texts = parameters.map(\.wireText)
        let result = Self.withOptionalCStrings(texts) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, context: String(sql.prefix(60)))
        return Self.rows(of: result)
    }

    /// Runs `body` inside BEGIN … COMMIT; rolls back if it throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            // A broken connection cannot roll back, and needs not: the server aborts the transaction.
            try? execute("ROLLBACK")
            throw error
        }
    }

    // MARK: libpq plumbing

    private func check(_ result: OpaquePointer?, context: @autoclosure () -> String) throws(PostgresError) {
        guard let result else {
            throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), context: context())
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            let state = PQresultErrorField(result, fleetwatch_pg_diag_sqlstate()).map { String(cString: $0) }
            throw PostgresError(
                sqlState: state, message: Self.trimmed(PQresultErrorMessage(result)),
                context: context())
        }
    }

    private static func rows(of result: OpaquePointer?) -> PostgresRows {
        guard let result else { return PostgresRows(columns: [], values: []) }
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [[String?]] = []
        values.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var row: [String?] = []
            row.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                row.append(
                    PQgetisnull(result, Int32(r), Int32(c)) == 1
                        ? nil : String(cString: PQgetvalue(result, Int32(r), Int32(c))))
            }
            values.append(row)
        }
        return PostgresRows(columns: columns, values: values)
    }

    private static func describe(_ connection: OpaquePointer) -> String {
        let host = PQhost(connection).map { String(cString: $0) } ?? "?"
        let port = PQport(connection).map { String(cString: $0) } ?? "?"
        let database = PQdb(connection).map { String(cString: $0) } ?? "?"
        return "\(host):\(port)/\(database)"
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        var text = String(cString: message)
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text.split(separator: "\n").joined(separator: "; ")
    }

    /// NUL-terminated copies of `strings`, alive for the call, as the `const char *const *` libpq wants.
    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        withOptionalCStrings(strings.map { Optional($0) }) { pointers in
            pointers.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: strings.count + 1) { body($0) }
        }
    }

    private static func withOptionalCStrings<R>(
        _ strings: [String?],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        var copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdupOrEmpty($0) } ?? nil }
        copies.append(nil)
        defer { for pointer in copies { pointer?.deallocate() } }
        return copies.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
        }
    }

    private static func strdupOrEmpty(_ text: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return pointer
    }
}
