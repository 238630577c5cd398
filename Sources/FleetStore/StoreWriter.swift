import FleetCore
import SQLite

/// The daemon's single writer: opens (and migrates) the database, restores state at start, and
/// commits each batch of engine effects in one transaction before anything is announced.
public final class StoreWriter {
    let db: Database
    private let upsertDevice: Statement
    private let updateLastSeen: Statement
    /// `lastSeenRowsPerStatement` rows of `last_seen` in one `UPDATE … FROM (VALUES …)`.
    private let updateLastSeenMany: Statement
    private let deleteDevice: Statement
    private let upsertIncident: Statement
    private let insertEvent: Statement
    private let upsertMaintenance: Statement
    private let setAnnounced: Statement
    private let upsertStatus: Statement
    private let upsertDetail: Statement
    private let upsertForecast: Statement
    /// History's statements and metric name cache (StoreWriter+History.swift).
    let history: HistoryStatements

    /// The WAL size (pages) at which a commit checkpoints by itself when a `WALCheckpointer` copies
    /// the log in the background: a backstop, not the normal path (see `init`).
    static let backstopCheckpointPages = 10_000

    /// `last_seen` goes out up to 20,000 rows a second; one statement per row paid SQLite's
    /// per-statement work (bind, step, reset, the VDBE's setup) for every one of them. One
    /// statement per 100 rows (docs/benchmarks.md, "eighth pass").
    static let lastSeenRowsPerStatement = 100

    /// `checkpointsInBackground: true` leaves copying the WAL back to a `WALCheckpointer`, so that
    /// commits do not pay for it. The log can start over only after a checkpoint has copied all of
    /// it, which a background checkpoint overlapping our commits may never do under steady load;
    /// so a commit still checkpoints by itself past `backstopCheckpointPages` (cheap by then: the
    /// background thread has copied nearly everything), and the file is cut back to 64 MiB when
    /// it starts over.
    public init(path: String, checkpointsInBackground: Bool = false) throws {
        db = try Database(path: path)
        // WAL lets the CLI read while we write; NORMAL sync keeps commits durable across a crash
        // of this process (the WAL is on disk), losing at most the last commits on power loss.
        try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
        try db.execute("PRAGMA journal_size_limit=\(64 << 20)")
        if checkpointsInBackground {
            try db.execute("PRAGMA wal_autocheckpoint=\(Self.backstopCheckpointPages)")
        }
        try Schema.migrate(db)
        // The engine loop must not stall behind a foreign lock: fail fast, keep state in memory,
        // retry on the next pass (storage-failure after the first failure); and take the lock as
        // soon as it is free, not after SQLite's next sleep of up to 100 ms.
        try db.setBusyPolling(milliseconds: 250)
        upsertDevice = try db.prepare(
            """
            INSERT INTO devices(\(Rows.deviceColumns)) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)
            ON CONFLICT(id) DO UPDATE SET site=?2, kind=?3, name=?4, inventory=?5, state=?6, state_since=?7,
              last_seen=?8, clock_skewed=?9, firmware=?10
            """)
        updateLastSeen = try db.prepare("UPDATE devices SET last_seen = ?2 WHERE id = ?1")
        let rows = Array(repeating: "(?,?)", count: Self.lastSeenRowsPerStatement).joined(separator: ",")
        updateLastSeenMany = try db.prepare(
            "UPDATE devices SET last_seen = v.column2 FROM (VALUES \(rows)) AS v WHERE devices.id = v.column1")
        deleteDevice = try db.prepare("DELETE FROM devices WHERE id = ?1")
        upsertIncident = try db.prepare(
            """
            INSERT INTO incidents(\(Rows.incidentColumns)) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35,?36,?37,?38,?39)
            ON CONFLICT(id) DO UPDATE SET priority=?2, status=?3, rule=?4, parent=?9, flapping=?10, occurrences=?11,
              acknowledged_at=?13, resolved_at=?14, respond_by=?15, onsite_by=?16, summary=?17, last_seen_at=?18,
              announced=?20, dispatched_at=?21, arrived_at=?22, respond_breached=?23, onsite_breached=?24,
              grouped_at=?25, extent=?26, resolve_by=?27, parts_at=?28, plan_by=?29, planned_at=?30,
              resolve_breached=?31, plan_breached=?32, respond_warned=?33, onsite_warned=?34,
              resolve_warned=?35, plan_warned=?36, errors=?38, eta=?39
            """)
        insertEvent = try db.prepare(
            "INSERT INTO events(incident, ts, event, priority, fields) VALUES (?1,?2,?3,?4,?5)")
        upsertMaintenance = try db.prepare(
            """
            INSERT INTO maintenance(\(Rows.maintenanceColumns)) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)
            ON CONFLICT(id) DO UPDATE SET starts_at=?4, ends_at=?5, reason=?6, removed_at=?8
            """)
        setAnnounced = try db.prepare("UPDATE meta SET value = ?1 WHERE key = 'announced_through' AND value < ?1")
        upsertStatus = try db.prepare(
            """
            INSERT INTO daemon_status(id, pid, started_at, updated_at, broker_connected, accepted, rejected,
              forgotten, broker_stats, ingest_lag_s, flush_s)
            VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT(id) DO UPDATE SET pid=?1, started_at=?2, updated_at=?3, broker_connected=?4, accepted=?5,
              rejected=?6, forgotten=?7, broker_stats=?8, ingest_lag_s=?9, flush_s=?10
            """)
        upsertDetail = try db.prepare(
            """
            INSERT OR REPLACE INTO device_details(\(Rows.detailColumns))
            VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)
            """)
        upsertForecast = try db.prepare(
            """
            INSERT INTO forecasts(\(Rows.forecastColumns)) VALUES (?1,?2,?3,?4,?5,?6,?7)
            ON CONFLICT(device, name) DO UPDATE SET metric=?3, value=?4, reaches=?5, eta=?6, updated_at=?7
            """)
        history = try HistoryStatements(db)
    }

    /// The registry and every unresolved incident, as the engine needs them after a restart, and
    /// the device incidents opened since `failuresSince` (wall time) for `repeated-failure`.
    public func restore(failuresSince: Double = .infinity) throws -> RestoredState {
        var state = RestoredState()
        try db.prepare("SELECT \(Rows.deviceColumns) FROM devices").query { state.devices.append(Rows.device($0)) }
        try db.prepare("SELECT \(Rows.incidentColumns) FROM incidents WHERE status != 'resolved'").query {
            state.unresolvedIncidents.append(Rows.incident($0))
        }
        try db.prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM incidents").query { state.nextIncidentID = $0.int(0) }
        try db.prepare(
            "SELECT device, opened_at FROM incidents WHERE scope = 'device' AND opened_at >= ?1 ORDER BY opened_at"
        )
        .query([.real(failuresSince)]) { state.recentFailures.append(($0.text(0), $0.double(1))) }
        try db.prepare("SELECT \(Rows.maintenanceColumns) FROM maintenance WHERE removed_at IS NULL ORDER BY id").query
        {
            state.maintenance.append(Rows.maintenance($0))
        }
        try db.prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM maintenance").query { state.nextMaintenanceID = $0.int(0) }
        return state
    }

    /// Commits one batch; returns the announced events with their sequence numbers, in order.
    public func commit(_ effects: [EngineEffect], lastSeen: [(String, Double)] = []) throws -> [AlertEvent] {
        guard !effects.isEmpty || !lastSeen.isEmpty else { return [] }
        return try db.transaction {
            var announced: [AlertEvent] = []
            for effect in effects {
                switch effect {
                case .saveDevice(let d): try upsertDevice.run(Rows.values(d))
                case .saveIncident(let i): try upsertIncident.run(Rows.values(i))
                case .saveMaintenance(let w): try upsertMaintenance.run(Rows.values(w))
                case .forgetDevice(let id): try deleteDevice.run([.text(id)])
                case .saveForecast(let f): try upsertForecast.run(Rows.values(f))
                case .announce(var e):
                    try insertEvent.run([
                        .integer(e.incidentID), .real(e.time), .text(e.kind.rawValue),
                        .text(e.priority.rawValue), .text(EventFields.encode(e.fields)),
                    ])
                    e.sequence = db.lastInsertRowID
                    announced.append(e)
                }
            }
            try writeLastSeen(lastSeen)
            return announced
        }
    }

    /// Inside `commit`'s transaction: full statements of `lastSeenRowsPerStatement` rows, then
    /// the rest one at a time. Ids are unique within a flush (a device is queued once).
    private func writeLastSeen(_ lastSeen: [(String, Double)]) throws {
        let n = Self.lastSeenRowsPerStatement
        var start = 0
        var values: [SQLValue] = []
        values.reserveCapacity(2 * n)
        while lastSeen.count - start >= n {
            values.removeAll(keepingCapacity: true)
            for (id, seen) in lastSeen[start..<(start + n)] {
                values.append(.text(id))
                values.append(.real(seen))
            }
            try updateLastSeenMany.run(values)
            start += n
        }
        for (id, seen) in lastSeen[start...] { try updateLastSeen.run([.text(id), .real(seen)]) }
    }

    /// Committed events whose alert-log line may not have been written (the daemon died between
    /// commit and write, or the log could not be written).
    public func unannouncedEvents() throws -> [AlertEvent] {
        var events: [AlertEvent] = []
        try db.prepare(
            """
            SELECT \(Rows.eventColumns) FROM events
            WHERE seq > (SELECT value FROM meta WHERE key = 'announced_through') ORDER BY seq
            """
        ).query { events.append(Rows.event($0)) }
        return events
    }

    public func markAnnounced(through sequence: Int64) throws {
        try setAnnounced.run([.integer(sequence)])
    }

    /// The time of the newest event stored, nil when there is none.
    public func newestEventTime() throws -> Double? {
        var newest: Double?
        try db.prepare("SELECT MAX(ts) FROM events").query { newest = $0.optionalDouble(0) }
        return newest
    }

    /// Copies the database as this writer sees it to `path` (see `Database.backup`): how the
    /// daemon makes its database again after the file was deleted under it.
    public func backup(to path: String) throws {
        try db.backup(to: path)
    }

    /// This writer is about to be dropped for one on a new file at the same path: closing must
    /// not remove that file's `-wal` and `-shm` (see `Database.keepWALFilesOnClose`).
    public func keepWALFilesOnClose() throws {
        try db.keepWALFilesOnClose()
    }

    /// The live counters the CLI's `status` reads; written about once a second.
    public func writeStatus(_ status: DaemonStatus) throws {
        try upsertStatus.run([
            .integer(Int64(status.pid)), .real(status.startedAt), .real(status.updatedAt),
            .integer(status.brokerConnected ? 1 : 0), .integer(Int64(status.accepted)),
            .text(status.encodedRejected), .integer(Int64(status.forgotten)), .text(status.brokerStats),
            .real(status.ingestLagSeconds), .real(status.flushSeconds),
        ])
    }

    /// The devices' last in-memory values, in one transaction: written when the daemon stops, so
    /// `fleetwatch device` and `quality` have something to show while it is stopped.
    public func saveDetails(_ details: [DeviceDetail]) throws {
        guard !details.isEmpty else { return }
        try db.transaction {
            for detail in details { try upsertDetail.run(Rows.values(detail)) }
        }
    }

    /// Marks the status row as stopped (pid 0) on a clean exit.
    public func writeStopped(at time: Double) throws {
        try db.execute("UPDATE daemon_status SET pid = 0, updated_at = \(time), broker_connected = 0")
    }
}
