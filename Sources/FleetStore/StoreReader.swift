import FleetCore
import SQLite

/// Read-only access for the CLI. Works while the daemon writes (WAL) and while it is stopped.
public final class StoreReader {
    let db: Database

    /// `allowingEmpty`: a database no daemon has migrated yet (an empty file) opens too, and
    /// reads as holding nothing (the inspection report of an empty database is valid).
    public init(path: String, allowingEmpty: Bool = false) throws {
        db = try Database(path: path, mode: .readOnly)
        // A read-only connection cannot create the schema; an empty file means no daemon ran yet.
        guard try allowingEmpty || Schema.userVersion(db) >= 1 else {
            throw SQLiteError(
                code: 0, message: "no Fleetwatch data yet (has fleetwatchd run with this config?)",
                context: path)
        }
    }

    public func devices(site: String? = nil, kind: String? = nil, state: DeviceState? = nil) throws -> [DeviceRecord] {
        var out: [DeviceRecord] = []
        try db.prepare(
            """
            SELECT \(Rows.deviceColumns) FROM devices
            WHERE (?1 IS NULL OR site = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR state = ?3)
            ORDER BY site, kind, id
            """
        ).query([SQLValue(site), SQLValue(kind), SQLValue(state?.rawValue)]) { out.append(Rows.device($0)) }
        return out
    }

    public func incidents(includeResolved: Bool, priority: Priority? = nil) throws -> [Incident] {
        var out: [Incident] = []
        try db.prepare(
            """
            SELECT \(Rows.incidentColumns) FROM incidents
            WHERE (?1 = 1 OR status != 'resolved') AND (?2 IS NULL OR priority = ?2)
            ORDER BY id
            """
        ).query([.integer(includeResolved ? 1 : 0), SQLValue(priority?.rawValue)]) {
            out.append(Rows.incident($0))
        }
        return out
    }

    public func incident(_ id: Int64) throws -> Incident? {
        var found: Incident?
        try db.prepare("SELECT \(Rows.incidentColumns) FROM incidents WHERE id = ?1").query([.integer(id)]) {
            found = Rows.incident($0)
        }
        return found
    }

    public func children(of id: Int64) throws -> [Incident] {
        var out: [Incident] = []
        try db.prepare("SELECT \(Rows.incidentColumns) FROM incidents WHERE parent = ?1 ORDER BY id")
            .query([.integer(id)]) { out.append(Rows.incident($0)) }
        return out
    }

    public func events(of id: Int64) throws -> [AlertEvent] {
        var out: [AlertEvent] = []
        try db.prepare("SELECT \(Rows.eventColumns) FROM events WHERE incident = ?1 ORDER BY seq")
            .query([.integer(id)]) { out.append(Rows.event($0)) }
        return out
    }

    /// Device counts: (site, kind, state) → count.
    public func deviceCounts() throws -> [(site: String, kind: String, state: DeviceState, count: Int)] {
        var out: [(String, String, DeviceState, Int)] = []
        try db.prepare(
            "SELECT site, kind, state, COUNT(*) FROM devices GROUP BY site, kind, state ORDER BY site, kind, state"
        )
        .query { out.append(($0.text(0), $0.text(1), DeviceState(rawValue: $0.text(2)) ?? .unknown, Int($0.int(3)))) }
        return out.map { (site: $0.0, kind: $0.1, state: $0.2, count: $0.3) }
    }

    public func openIncidentCounts() throws -> [Priority: Int] {
        var out: [Priority: Int] = [:]
        try db.prepare("SELECT priority, COUNT(*) FROM incidents WHERE status != 'resolved' GROUP BY priority").query {
            if let p = Priority(rawValue: $0.text(0)) { out[p] = Int($0.int(1)) }
        }
        return out
    }

    /// Maintenance windows not removed and not over at `now` (wall).
    public func maintenanceWindows(current now: Double) throws -> [MaintenanceWindow] {
        var out: [MaintenanceWindow] = []
        try db.prepare(
            "SELECT \(Rows.maintenanceColumns) FROM maintenance WHERE removed_at IS NULL AND ends_at > ?1 ORDER BY id"
        )
        .query([.real(now)]) { out.append(Rows.maintenance($0)) }
        return out
    }

    public func daemonStatus() throws -> DaemonStatus? {
        var status: DaemonStatus?
        try db.prepare(
            """
            SELECT pid, started_at, updated_at, broker_connected, accepted, rejected, forgotten, broker_stats,
              ingest_lag_s, flush_s FROM daemon_status
            """
        ).query {
            status = DaemonStatus(
                pid: Int32($0.int(0)), startedAt: $0.double(1), updatedAt: $0.double(2),
                brokerConnected: $0.int(3) != 0, accepted: Int($0.int(4)),
                rejected: DaemonStatus.decodeRejected($0.text(5)), forgotten: Int($0.int(6)),
                brokerStats: $0.text(7), ingestLagSeconds: $0.double(8),
                flushSeconds: $0.double(9))
        }
        return status
    }

    /// One device in full as the daemon left it when it last stopped (its stored record, the
    /// values it kept in memory, and its unresolved incidents); nil for an unknown id. Without a
    /// `device_details` row (never heard, or the daemon did not stop cleanly) the in-memory values
    /// are empty and `asOf` is the device's `last_seen`.
    public func detail(of id: String, windowSeconds: Double) throws -> DeviceDetail? {
        var found: DeviceDetail?
        try db.prepare(
            """
            SELECT \(Rows.detailQueryColumns)
            FROM devices d LEFT JOIN device_details x ON x.id = d.id WHERE d.id = ?1
            """
        ).query([.text(id)]) { found = Rows.detail($0, windowSeconds: windowSeconds) }
        guard var detail = found else { return nil }
        try db.prepare(
            """
            SELECT id FROM incidents WHERE status != 'resolved' AND scope = 'device' AND device = ?1 ORDER BY id
            """
        ).query([.text(id)]) { detail.openIncidents.append($0.int(0)) }
        return detail
    }

    /// `fleetwatch quality` from the values the daemon left when it last stopped, worst loss first.
    public func qualityRows(site: String?, kind: String?, windowSeconds: Double) throws -> [QualityRow] {
        var rows: [QualityRow] = []
        try db.prepare(
            """
            SELECT \(Rows.detailQueryColumns)
            FROM devices d LEFT JOIN device_details x ON x.id = d.id
            WHERE (?1 IS NULL OR d.site = ?1) AND (?2 IS NULL OR d.kind = ?2)
            """
        ).query([SQLValue(site), SQLValue(kind)]) {
            let detail = Rows.detail($0, windowSeconds: windowSeconds)
            rows.append(
                QualityRow(
                    id: detail.record.id, site: detail.record.site, kind: detail.record.kind,
                    quality: detail.quality))
        }
        return rows.sorted(by: QualityRow.worstFirst)
    }

    /// When the daemon last left its in-memory values (nil: never).
    public func detailsAsOf() throws -> Double? {
        var at: Double?
        try db.prepare("SELECT MAX(as_of) FROM device_details").query { at = $0.optionalDouble(0) }
        return at
    }
}
