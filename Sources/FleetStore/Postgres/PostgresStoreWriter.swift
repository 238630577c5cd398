import FleetCore
import Postgres
import SQLite

/// The active node's writer on PostgreSQL: the same job as SQLite's `StoreWriter`, on a session
/// that holds the active lock (`PostgresActiveLock`). Every commit is fenced: its transaction
/// first checks that this very session still holds the lock (`fleetwatch_fence`), so a node that
/// lost it cannot commit, and so cannot announce (commit before announce).
///
/// Commits are batched per table (one `unnest` statement per table and round, see
/// `PostgresColumns`), since a round trip per row would cost the engine loop more than SQLite's
/// whole commit. A session whose connection broke, or that no longer holds the lock, is dropped:
/// `commit` throws `StoreFailure.notActive` until `attach` gives it a new one.
public final class PostgresStoreWriter: StoreWriting {
    public let node: String
    private var session: PostgresSession?
    /// Why there is no session, for the errors of the calls made without one.
    private var detachedBecause = "no session holding the active lock yet"
    /// History's metric name → `history_metrics.id`, committed ones only (`prepareHistory`): ids
    /// belong to the database, so they stay valid across sessions.
    var historyMetricIDs: [String: Int64] = [:]

    public init(node: String) {
        self.node = node
    }

    /// Takes a session that holds the active lock (or, at start, one to restore from).
    public func attach(_ session: PostgresSession) {
        self.session = session
    }

    /// Drops the session and returns it; once nobody holds it, it closes, and the server ends
    /// the lock with it if it still thought we held it.
    @discardableResult
    public func detach(because reason: String) -> PostgresSession? {
        defer { session = nil }
        detachedBecause = reason
        return session
    }

    public var isAttached: Bool { session != nil }

    /// The session, or `notActive`.
    private func connection() throws -> PostgresConnection {
        guard let session else { throw StoreFailure.notActive(detachedBecause) }
        return session.connection
    }

    /// Runs `body` on the session; a lost connection drops it and becomes `notActive`.
    func onSession<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let db = try connection()
        do {
            return try body(db)
        } catch let error as PostgresError where error.isConnectionLost || !db.isConnected {
            detach(because: "the database connection was lost (\(error))")
            throw StoreFailure.notActive(detachedBecause)
        } catch let error as PostgresError where error.sqlState == PostgresActiveLock.fenceSQLState {
            detach(because: "the session no longer holds the active lock")
            throw StoreFailure.notActive(detachedBecause)
        }
    }

    /// `BEGIN` and the fence in one round trip.
    private func begin(_ db: PostgresConnection) throws {
        try db.execute("BEGIN; SELECT fleetwatch_fence(\(PostgresActiveLock.key));")
    }

    /// `body` in one transaction fenced to the session holding the active lock.
    func fenced<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try onSession { db in
            try begin(db)
            do {
                let value = try body(db)
                try db.execute("COMMIT")
                return value
            } catch {
                try? db.execute("ROLLBACK")  // a broken connection needs none: the server aborts it
                throw error
            }
        }
    }

    // MARK: StoreWriting

    public func restore(failuresSince: Double) throws -> RestoredState {
        try onSession { db in
            try db.transaction {
                var state = RestoredState()
                try db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                state.devices = try db.query("SELECT \(Rows.deviceColumns) FROM devices").map(Rows.device)
                state.unresolvedIncidents = try db.query(
                    "SELECT \(Rows.incidentColumns) FROM incidents WHERE status <> 'resolved'"
                ).map(Rows.incident)
                state.nextIncidentID = try db.query("SELECT COALESCE(MAX(id), 0) + 1 FROM incidents")[0].int(0)
                state.recentFailures = try db.query(
                    "SELECT device, opened_at FROM incidents WHERE scope = 'device' AND opened_at >= $1 ORDER BY opened_at",
                    [.real(failuresSince)]
                ).map { ($0.text(0), $0.double(1)) }
                state.maintenance = try db.query(
                    "SELECT \(Rows.maintenanceColumns) FROM maintenance WHERE removed_at IS NULL ORDER BY id"
                ).map(Rows.maintenance)
                state.nextMaintenanceID = try db.query("SELECT COALESCE(MAX(id), 0) + 1 FROM maintenance")[0].int(0)
                return state
            }
        }
    }

    public func commit(_ effects: [EngineEffect], lastSeen: [(String, Double)]) throws -> [AlertEvent] {
        guard !effects.isEmpty || !lastSeen.isEmpty else { return [] }
        let batch = PostgresCommitBatch(effects)
        return try fenced { db in
            try batch.writeRows(db)
            let events = try batch.insertEvents(db)
            if !lastSeen.isEmpty {
                try db.query(
                    """
                    UPDATE devices d SET last_seen = v.seen FROM unnest($1::text[], $2::double precision[]) AS v(id, seen)
                    WHERE d.id = v.id
                    """,
                    [
                        .text(PostgresArray.literal(lastSeen.map { Optional($0.0) })),
                        .text(PostgresArray.literal(lastSeen.map { Optional($0.1) })),
                    ])
            }
            return events
        }
    }

    public func unannouncedEvents() throws -> [AlertEvent] {
        try onSession { db in
            try db.query(
                """
                SELECT \(Rows.eventColumns) FROM events
                WHERE seq > (SELECT value FROM meta WHERE key = 'announced_through') ORDER BY seq
                """
            ).map(Rows.event)
        }
    }

    public func markAnnounced(through sequence: Int64) throws {
        try fenced { db in
            _ = try db.query(
                "UPDATE meta SET value = $1 WHERE key = 'announced_through' AND value < $1",
                [.integer(sequence)])
        }
    }

    public func writeStatus(_ status: DaemonStatus) throws {
        try onSession { db in try PostgresStatusRow.write(status, node: node, on: db) }
    }

    public func writeStopped(at time: Double) throws {
        try onSession { db in try PostgresStatusRow.writeStopped(node: node, at: time, on: db) }
    }

    public func saveDetails(_ details: [DeviceDetail]) throws {
        guard !details.isEmpty else { return }
        try fenced { db in try PostgresCommitBatch.writeDetails(details, db) }
    }

    public func newestEventTime() throws -> Double? {
        try onSession { db in
            let rows = try db.query("SELECT MAX(ts) FROM events")
            return rows.first.flatMap { $0.isNull(0) ? nil : $0.double(0) }
        }
    }

    public func keepOnlyForecasts(_ names: [String: [String]]) throws {
        let pairs = names.flatMap { kind, list in list.map { (kind, $0) } }
        try fenced { db in
            _ = try db.query(
                """
                DELETE FROM forecasts f WHERE NOT EXISTS (
                  SELECT 1 FROM devices d JOIN unnest($1::text[], $2::text[]) AS k(kind, name) ON k.kind = d.kind
                  WHERE d.id = f.device AND k.name = f.name)
                """,
                [
                    .text(PostgresArray.literal(pairs.map { Optional($0.0) })),
                    .text(PostgresArray.literal(pairs.map { Optional($0.1) })),
                ])
        }
    }

    public func syncNotifyChannels(_ names: [String], at time: Double) throws {
        try fenced { db in
            let head = try db.query("SELECT COALESCE(MAX(seq), 0) FROM events")[0].int(0)
            try db.query(
                """
                INSERT INTO notify_channels(name, through, updated_at) SELECT n, $2, $3 FROM unnest($1::text[]) AS n
                ON CONFLICT (name) DO NOTHING
                """, [.text(PostgresArray.literal(names.map { Optional($0) })), .integer(head), .real(time)])
            try db.query(
                "DELETE FROM notify_channels WHERE NOT (name = ANY($1::text[]))",
                [.text(PostgresArray.literal(names.map { Optional($0) }))])
        }
    }
}
