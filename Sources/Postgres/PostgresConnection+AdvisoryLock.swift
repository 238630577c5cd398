/// Session-level advisory locks: the HA nodes' way of agreeing who is active, with no lease logic
/// of our own. A lock is held until it is released or the session ends (a crash, a lost network).
extension PostgresConnection {
    /// Takes the lock if nobody holds it; never waits.
    public func tryAdvisoryLock(_ key: Int64) throws(PostgresError) -> Bool {
        let rows = try query("SELECT pg_try_advisory_lock($1)", [.integer(key)])
        return !rows.isEmpty && rows[0].bool(0)
    }

    /// Whether this session holds the lock now: asked inside a commit's transaction, it proves the
    /// writer is still the active node when the commit happens.
    public func holdsAdvisoryLock(_ key: Int64) throws(PostgresError) -> Bool {
        // A bigint key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
        let rows = try query(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
              AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = $1)
            """, [.integer(key)])
        return !rows.isEmpty && rows[0].bool(0)
    }

    @discardableResult
    public func advisoryUnlock(_ key: Int64) throws(PostgresError) -> Bool {
        let rows = try query("SELECT pg_advisory_unlock($1)", [.integer(key)])
        return !rows.isEmpty && rows[0].bool(0)
    }
}
