import FleetCore
import Postgres

extension PostgresStoreReader {
    /// What SQLite's `reportRows` reads, with the same selection (see `StoreReader+Report`).
    public func reportRows(from: Double, to: Double, site: String?) throws -> ReportRows {
        var rows = ReportRows()
        guard !isEmpty else { return rows }
        rows.historySince = try stateHistorySince()
        rows.devices = try devices(site: site, kind: nil, state: nil)
        let siteValue = PostgresValue(site)
        if rows.historySince != nil {
            for row in try db.query(
                """
                SELECT d.id, (SELECT s.state FROM device_states s WHERE s.device = d.id AND s.ts <= $1
                              ORDER BY s.ts DESC LIMIT 1)
                FROM devices d WHERE $2::text IS NULL OR d.site = $2
                """, [.real(from), siteValue])
            {
                if let state = row.optionalText(1) { rows.stateAtStart[row.text(0)] = state }
            }
            for row in try db.query(
                """
                SELECT s.device, s.ts, s.state FROM devices d JOIN device_states s ON s.device = d.id
                WHERE s.ts > $1 AND s.ts < $2 AND ($3::text IS NULL OR d.site = $3) ORDER BY s.device, s.ts
                """, [.real(from), .real(to), siteValue])
            {
                rows.changes[row.text(0), default: []].append(
                    DeviceStateChange(time: row.double(1), state: row.text(2)))
            }
        }
        rows.incidents = try db.query(
            """
            SELECT \(Rows.incidentColumns) FROM incidents
            WHERE opened_at < $2 AND ($3::text IS NULL OR site = $3)
              AND (opened_at >= $1 OR resolved_at IS NULL OR resolved_at >= $1 OR respond_by >= $1 OR onsite_by >= $1)
            ORDER BY id
            """, [.real(from), .real(to), siteValue]
        ).map(Rows.incident)
        // One query for the events of every incident (SQLite asks per incident; here each would be a round trip).
        let ids = rows.incidents.map { Optional($0.id) }
        if !ids.isEmpty {
            for event in try db.query(
                """
                SELECT \(Rows.eventColumns) FROM events WHERE incident = ANY($1::bigint[]) AND event <> 'UPDATE'
                ORDER BY seq
                """, [.text(PostgresArray.literal(ids))]
            ).map(Rows.event) {
                rows.events[event.incidentID, default: []].append(event)
            }
        }
        rows.maintenance = try db.query(
            """
            SELECT \(Rows.maintenanceColumns) FROM maintenance
            WHERE starts_at < $2 AND COALESCE(removed_at, ends_at) > $1
              AND ($3::text IS NULL OR site = $3 OR device IN (SELECT id FROM devices WHERE site = $3))
            ORDER BY starts_at, id
            """, [.real(from), .real(to), siteValue]
        ).map(Rows.maintenance)
        return rows
    }

    public func stateHistorySince() throws -> Double? {
        guard !isEmpty else { return nil }
        return try db.query("SELECT value FROM meta WHERE key = 'state_history_since'").first?.double(0)
    }
}
