import Postgres

/// The active node's lock (SPEC §15): a session-level advisory lock on the shared database, no
/// lease logic of our own. The server holds it for the session that took it until that session
/// ends (a crash, a lost connection, a clean exit), and then the next `tryTake` elsewhere wins.
public enum PostgresActiveLock {
    /// One key per database (advisory locks are per database): "fw_activ".
    public static let key: Int64 = 0x6677_5F61_6374_6976
    /// The SQLSTATE `fleetwatch_fence` raises in a session without the lock.
    static let fenceSQLState = "FW001"

    /// Takes the lock on `connection` if nobody holds it; never waits.
    public static func tryTake(on connection: PostgresConnection) throws -> Bool {
        try connection.tryAdvisoryLock(key)
    }

    /// Whether `connection`'s session holds the lock now.
    public static func isHeld(by connection: PostgresConnection) throws -> Bool {
        try connection.holdsAdvisoryLock(key)
    }

    /// The node that holds the lock now, by the application name its session announced
    /// (`fleetwatchd NODE`), for messages; nil when nobody holds it.
    public static func holder(seenFrom connection: PostgresConnection) throws -> String? {
        let rows = try connection.query(
            """
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND ((l.classid::bigint << 32) | l.objid::bigint) = $1
            """, [.integer(key)])
        guard let name = rows.first?.optionalText(0) else { return nil }
        return name.hasPrefix("fleetwatchd ") ? String(name.dropFirst("fleetwatchd ".count)) : name
    }
}
