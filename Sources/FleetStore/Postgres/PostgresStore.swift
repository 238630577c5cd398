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
        let session = try PostgresSession(target, node: node)
        guard try session.tryTakeActiveLock() else {
            let holder = (try? session.activeNode()).flatMap { $0 }
            throw StoreOpenError(
                "another fleetwatchd\(holder.map { " (\($0))" } ?? "") is active on \(target); "
                    + "set [ha] enabled = true on every node to run a standby beside it")
        }
        let writer = PostgresStoreWriter(node: node)
        writer.attach(session)
        return writer
    }
}
