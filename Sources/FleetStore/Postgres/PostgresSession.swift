import FleetCore
import Postgres

/// One of this node's sessions to the shared PostgreSQL database, schema migrated. The HA
/// election polls for the active lock on it; once the lock is taken, the session itself goes to
/// the engine loop's writer (`PostgresStoreWriter.attach`), so the session that holds the lock
/// is the one every commit is fenced on. Sendable so it can be handed from the election's thread
/// to the engine loop's; it is used by one thread at a time, whoever holds it last.
public final class PostgresSession: Sendable {
    let connection: PostgresConnection
    public let node: String

    /// Connects as `fleetwatchd NODE` within `timeout` seconds and migrates.
    public init(_ target: PostgresTarget, node: String, timeout: Int = 5) throws {
        connection = try PostgresStore.session(target, node: node, timeout: timeout)
        self.node = node
    }

    public var isConnected: Bool { connection.isConnected }

    /// Takes the active lock if nobody holds it; never waits.
    public func tryTakeActiveLock() throws -> Bool { try PostgresActiveLock.tryTake(on: connection) }

    /// The node holding the active lock (by its session's application name), nil when none does.
    public func activeNode() throws -> String? { try PostgresActiveLock.holder(seenFrom: connection) }

    /// This node's status row (a standby's, written on the election's session).
    public func writeStatus(_ status: DaemonStatus) throws {
        try PostgresStatusRow.write(status, node: node, on: connection)
    }

    public func writeStopped(at time: Double) throws {
        try PostgresStatusRow.writeStopped(node: node, at: time, on: connection)
    }
}
