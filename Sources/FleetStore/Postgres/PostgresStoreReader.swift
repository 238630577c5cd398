import FleetCore
import Postgres

/// Read-only access to a PostgreSQL store for the CLI, the report and the HTTP workers: the
/// same answers as SQLite's `StoreReader`, from the daemon's database, with the daemon running
/// or stopped. Its session is read-only (`default_transaction_read_only`), so nothing it runs
/// can write.
public final class PostgresStoreReader: StoreReading {
    let db: PostgresConnection
    /// The schema has not been set up: only `allowingEmpty` readers get this far, and read nothing.
    let isEmpty: Bool
    /// The history tables exist (a database an older daemon set up has none yet: no history).
    let hasHistory: Bool

    public init(_ target: PostgresTarget, allowingEmpty: Bool = false, as client: String = "fleetwatch") throws {
        db = try target.connect(as: client, readOnly: true)
        let version = try PostgresSchema.version(db) ?? 0
        isEmpty = version == 0
        hasHistory = version >= PostgresSchema.historyVersion
        guard allowingEmpty || !isEmpty else {
            throw StoreOpenError("no Fleetwatch data yet in \(target) (has fleetwatchd run with this config?)")
        }
    }

    public func devices(site: String?, kind: String?, state: DeviceState?) throws -> [DeviceRecord] {
        guard !isEmpty else { return [] }
        return try db.query(
            """
            SELECT \(Rows.deviceColumns) FROM devices
            WHERE ($1::text IS NULL OR site = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR state = $3)
            ORDER BY site COLLATE "C", kind COLLATE "C", id COLLATE "C"
            """, [PostgresValue(site), PostgresValue(kind), PostgresValue(state?.rawValue)]
        ).map(Rows.device)
    }

    public func incidents(includeResolved: Bool, priority: Priority?) throws -> [Incident] {
        guard !isEmpty else { return [] }
        return try db.query(
            """
            SELECT \(Rows.incidentColumns) FROM incidents
            WHERE ($1 OR status <> 'resolved') AND ($2::text IS NULL OR priority = $2) ORDER BY id
            """, [.bool(includeResolved), PostgresValue(priority?.rawValue)]
        ).map(Rows.incident)
    }

    public func incident(_ id: Int64) throws -> Incident? {
        guard !isEmpty else { return nil }
        return try db.query("SELECT \(Rows.incidentColumns) FROM incidents WHERE id = $1", [.integer(id)])
            .first.map(Rows.incident)
    }

    public func children(of id: Int64) throws -> [Incident] {
        guard !isEmpty else { return [] }
        return try db.query(
            "SELECT \(Rows.incidentColumns) FROM incidents WHERE parent = $1 ORDER BY id", [.integer(id)]
        )
        .map(Rows.incident)
    }

    public func device(_ id: String) throws -> DeviceRecord? {
        guard !isEmpty else { return nil }
        return try db.query("SELECT \(Rows.deviceColumns) FROM devices WHERE id = $1", [.text(id)]).first.map(
            Rows.device)
    }

    public func forecasts(device: String?) throws -> [ForecastStatus] {
        guard !isEmpty else { return [] }
        return try db.query(
            """
            SELECT \(Rows.forecastColumns) FROM forecasts WHERE ($1::text IS NULL OR device = $1)
            ORDER BY device COLLATE "C", name COLLATE "C"
            """, [PostgresValue(device)]
        ).map(Rows.forecast)
    }

    public func events(of id: Int64) throws -> [AlertEvent] {
        guard !isEmpty else { return [] }
        return try db.query("SELECT \(Rows.eventColumns) FROM events WHERE incident = $1 ORDER BY seq", [.integer(id)])
            .map(Rows.event)
    }

    public func deviceCounts() throws -> [(site: String, kind: String, state: DeviceState, count: Int)] {
        guard !isEmpty else { return [] }
        return try db.query(
            """
            SELECT site, kind, state, COUNT(*) FROM devices GROUP BY site, kind, state
            ORDER BY site COLLATE "C", kind COLLATE "C", state COLLATE "C"
            """
        ).map {
            (
                site: $0.text(0), kind: $0.text(1), state: DeviceState(rawValue: $0.text(2)) ?? .unknown,
                count: Int($0.int(3))
            )
        }
    }

    public func openIncidentCounts() throws -> [Priority: Int] {
        guard !isEmpty else { return [:] }
        var out: [Priority: Int] = [:]
        for row in try db.query("SELECT priority, COUNT(*) FROM incidents WHERE status <> 'resolved' GROUP BY priority")
        {
            if let p = Priority(rawValue: row.text(0)) { out[p] = Int(row.int(1)) }
        }
        return out
    }

    public func maintenanceWindows(current now: Double) throws -> [MaintenanceWindow] {
        guard !isEmpty else { return [] }
        return try db.query(
            "SELECT \(Rows.maintenanceColumns) FROM maintenance WHERE removed_at IS NULL AND ends_at > $1 ORDER BY id",
            [.real(now)]
        ).map(Rows.maintenance)
    }

    public func daemonStatus(node: String) throws -> DaemonStatus? {
        guard !isEmpty else { return nil }
        return try PostgresStatusRow.read(node: node, on: db)
    }

    public func notifyChannels() throws -> [NotifyChannelState] {
        guard !isEmpty else { return [] }
        return try PostgresNotifyQueries.channels(db)
    }

    public func notifyPending(_ channel: NotifyChannel, after: Int64) throws -> Int {
        guard !isEmpty else { return 0 }
        return try PostgresNotifyQueries.pendingCount(db, channel, after: after)
    }

    public var hasNotifyChannels: Bool { !isEmpty }

    public func operatorActionsOfUnresolvedIncidents() throws -> [AlertEvent] {
        guard !isEmpty else { return [] }
        let columns = Rows.eventColumns.split(separator: ",").map { "e." + $0.filter { $0 != " " } }
        return try db.query(
            """
            SELECT \(columns.joined(separator: ", ")) FROM incidents i JOIN events e ON e.incident = i.id
            WHERE i.status <> 'resolved' AND e.event IN ('ACK', 'DISPATCH', 'ARRIVE') ORDER BY e.seq
            """
        ).map(Rows.event)
    }

    public func eventCounts(since: Double) throws -> [EventCount] {
        guard !isEmpty else { return [] }
        return try db.query(
            "SELECT event, priority, COUNT(*) FROM events WHERE ts >= $1 GROUP BY event, priority",
            [.real(since)]
        ).compactMap {
            guard let kind = AlertEvent.Kind(rawValue: $0.text(0)), let priority = Priority(rawValue: $0.text(1))
            else { return nil }
            return EventCount(kind: kind, priority: priority, count: Int($0.int(2)))
        }
    }

    /// One REPEATABLE READ transaction: every read in `body` sees the same snapshot.
    public func consistently<T>(_ body: () throws -> T) throws -> T {
        try db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let result = try body()
            try db.execute("COMMIT")
            return result
        } catch {
            try? db.execute("ROLLBACK")  // a read transaction: nothing to undo, only to end
            throw error
        }
    }
}
