import FleetCore

/// Which store a configuration names, and how the readers open it: everyone who reads (the CLI,
/// the report, the HTTP workers, the notifier's channels) opens the store through this, so the
/// backend is chosen in one place. Each call opens a new connection for the calling thread.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresTarget)

    /// `storage.backend` and its settings; reads `storage.postgres_password_file`.
    public init(_ storage: StorageSettings) throws {
        switch storage.backend {
        case .sqlite: self = .sqlite(path: storage.database)
        case .postgres: self = .postgres(try PostgresTarget(storage))
        }
    }

    /// The file, or the URI without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let target): target.description
        }
    }

    /// The setting a message about this store names.
    public var settingName: String {
        switch self {
        case .sqlite: "storage.database"
        case .postgres: "storage.postgres_url"
        }
    }

    /// A read-only reader. `allowingEmpty`: a store no daemon has set up yet reads as empty
    /// (the report of an empty database is valid) instead of failing.
    public func openReader(allowingEmpty: Bool = false, as client: String = "fleetwatch") throws -> any StoreReading {
        switch self {
        case .sqlite(let path): try StoreReader(path: path, allowingEmpty: allowingEmpty)
        case .postgres(let target): try PostgresStoreReader(target, allowingEmpty: allowingEmpty, as: client)
        }
    }

    /// The history rollup service's own read-only connection (issue 15).
    public func openHistoryRollup(as client: String = "fleetwatchd history-rollup") throws -> any HistoryRollupReading {
        switch self {
        case .sqlite(let path): try HistoryRollup(path: path)
        case .postgres(let target): try PostgresHistoryRollup(target, as: client)
        }
    }

    /// A notification channel's own connection to a store the daemon has set up.
    public func openNotifyStore(as client: String = "fleetwatchd notify") throws -> any NotifyCursorStoring {
        switch self {
        case .sqlite(let path): try NotifyStore(path: path)
        case .postgres(let target): try PostgresNotifyStore(target, as: client)
        }
    }
}
