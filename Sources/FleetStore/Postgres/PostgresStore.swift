import FleetCore
import Postgres

/// Opening the daemon's own sessions to a PostgreSQL store: each names its node in
/// `application_name` (`fleetwatchd NODE`, seen in `pg_stat_activity` and in messages about
/// who holds the active lock), and finds the schema up to date.
public enum PostgresStore {
    public static func applicationName(node: String) -> String { "fleetwatchd \(node)" }

    /// A new session of `node`'s with the schema migrated (two nodes migrating at once take turns).
    public static func session(_ target: PostgresTarget, node: String, timeout: Int = 5) throws -> PostgresConnection {
        let db = try target.connect(as: applicationName(node: node), timeout: timeout)
        try PostgresSchema.migrate(db)
        return db
    }

    /// A writer for a daemon without `[ha]` (role `single`): the active lock is still taken, so a
    /// second daemon on the same database is refused instead of writing beside the first.
    public static func singleWriter(_ target: PostgresTarget, node: String) throws -> PostgresStoreWriter {
        let db = try session(target, node: node)
        guard try PostgresActiveLock.tryTake(on: db) else {
            let holder = (try? PostgresActiveLock.holder(seenFrom: db)).flatMap { $0 }
            throw StoreOpenError("another fleetwatchd\(holder.map { " (\($0))" } ?? "") is active on \(target); "
                + "set [ha] enabled = true on every node to run a standby beside it")
        }
        let writer = PostgresStoreWriter(node: node)
        writer.attach(db)
        return writer
    }

    /// A standby's status row, written on the election's session (the writer has none then).
    public static func writeStatus(_ status: DaemonStatus, node: String, on db: PostgresConnection) throws {
        try PostgresStatusRow.write(status, node: node, on: db)
    }

    public static func writeStopped(node: String, at time: Double, on db: PostgresConnection) throws {
        try PostgresStatusRow.writeStopped(node: node, at: time, on: db)
    }
}
