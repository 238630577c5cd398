/// Where the state lives (SPEC §15): an embedded SQLite file, or a PostgreSQL database that
/// several daemons may share.
public enum StorageBackend: String, Sendable, Equatable, CaseIterable {
    case sqlite
    case postgres
}

/// `[ha]`: several `fleetwatchd` on one PostgreSQL database, exactly one of them active (SPEC §15).
public struct HASettings: Sendable, Equatable {
    public var enabled = false
    /// This instance's name; "" means the host name (resolved by the daemon and the CLI, which
    /// can ask the system for it).
    public var node = ""
    public init() {}
}
