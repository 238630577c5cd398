import FleetCore
import Foundation
import Postgres

/// Where a PostgreSQL store is: the `storage.postgres_url` URI and, when set, the password read
/// from `storage.postgres_password_file` (otherwise libpq takes it from the URI, `~/.pgpass` or
/// `PGPASSFILE`). Described without any password, so it can be logged and shown.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    public let url: String
    let password: String?

    public init(url: String, password: String? = nil) {
        self.url = url
        self.password = password
    }

    /// Reads the password file (a trailing newline is not part of the password).
    public init(_ storage: StorageSettings) throws {
        guard !storage.postgresPasswordFile.isEmpty else {
            self.init(url: storage.postgresURL)
            return
        }
        let path = storage.postgresPasswordFile
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8)
        else { throw StoreOpenError("storage.postgres_password_file \(path) cannot be read") }
        while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
        self.init(url: storage.postgresURL, password: text)
    }

    public var description: String { Self.redacted(url) }

    /// Why libpq cannot parse `url`, nil when it can (no connection is made).
    public static func problem(inURL url: String) -> String? { PostgresConnection.problem(inURL: url) }

    /// Session settings every connection gets. Keepalives on both ends bound how long a dead
    /// peer goes unnoticed: the server ends the session of a client that vanished (and with it
    /// the active node's lock) within about 11 s, and a commit to a server that vanished fails
    /// within `tcp_user_timeout` instead of blocking the engine loop for minutes.
    static func defaults(applicationName: String) -> [(String, String)] {
        [
            ("application_name", applicationName), ("keepalives", "1"), ("keepalives_idle", "5"),
            ("keepalives_interval", "2"), ("keepalives_count", "3"), ("tcp_user_timeout", "5000"),
        ]
    }

    /// A new session; `readOnly` makes every transaction of it read-only (the CLI's, the API's).
    public func connect(
        as applicationName: String, readOnly: Bool = false,
        timeout: Int = 5
    ) throws -> PostgresConnection {
        let connection = try PostgresConnection(
            url: url, password: password,
            defaults: Self.defaults(applicationName: applicationName),
            connectTimeout: timeout)
        var settings =
            "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3;"
            + " SET tcp_user_timeout = 5000; SET bytea_output = hex;"
        if readOnly { settings += " SET default_transaction_read_only = on;" }
        try connection.execute(settings)
        return connection
    }

    /// `postgresql://user:secret@host/db?password=x&sslmode=require` → `postgresql://user@host/db?sslmode=require`;
    /// a `key=value` string loses its `password=…`.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else {
            return url.split(separator: " ").filter { !$0.lowercased().hasPrefix("password=") }
                .joined(separator: " ")
        }
        let head = url[..<scheme.upperBound]
        var rest = Substring(url[scheme.upperBound...])
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let user = authority[..<at].prefix { $0 != ":" }
            authority = user + authority[at...]
        }
        rest = rest[authorityEnd...]
        var path = rest
        var query: [Substring] = []
        if let mark = rest.firstIndex(of: "?") {
            path = rest[..<mark]
            query = rest[rest.index(after: mark)...].split(separator: "&")
                .filter { !$0.lowercased().hasPrefix("password=") }
        }
        return head + authority + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}

/// A store that cannot be opened, for a reason that names the setting involved.
public struct StoreOpenError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
