import FleetCore
import SQLite

/// What the inspection report reads for one period: the devices, their state history around
/// it, the incidents that matter to it with their events, and the maintenance windows in it.
public struct ReportRows: Sendable {
    /// When state history began (the migration that added it), nil when it has not begun.
    public var historySince: Double?
    public var devices: [DeviceRecord] = []
    /// Each device's state at `from` (its last change at or before it); absent: no history yet.
    public var stateAtStart: [String: String] = [:]
    /// Each device's changes after `from` and before `to`, oldest first.
    public var changes: [String: [DeviceStateChange]] = [:]
    public var incidents: [Incident] = []
    /// Events by incident, in order; UPDATE lines (repeated detections) are left out.
    public var events: [Int64: [AlertEvent]] = [:]
    public var maintenance: [MaintenanceWindow] = []
}

extension StoreReader {
    /// Everything the report of [from, to) needs; `site` limits it to one site's devices,
    /// incidents and windows. Incidents are those opened before `to` that were opened in the
    /// period, still unresolved at its start, or had a deadline in it.
    public func reportRows(from: Double, to: Double, site: String? = nil) throws -> ReportRows {
        var rows = ReportRows()
        guard try Schema.userVersion(db) >= 1 else { return rows }
        rows.historySince = try stateHistorySince()
        rows.devices = try devices(site: site)
        if rows.historySince != nil {
            try db.prepare(
                """
                SELECT d.id, (SELECT s.state FROM device_states s WHERE s.device = d.id AND s.ts <= ?1
                              ORDER BY s.ts DESC LIMIT 1)
                FROM devices d WHERE ?2 IS NULL OR d.site = ?2
                """
            ).query([.real(from), SQLValue(site)]) {
                if let state = $0.optionalText(1) { rows.stateAtStart[$0.text(0)] = state }
            }
            // Devices outside, the history's key inside: one range of the primary key per device.
            try db.prepare(
                """
                SELECT s.device, s.ts, s.state FROM devices d CROSS JOIN device_states s
                WHERE s.device = d.id AND s.ts > ?1 AND s.ts < ?2 AND (?3 IS NULL OR d.site = ?3)
                """
            ).query([.real(from), .real(to), SQLValue(site)]) {
                rows.changes[$0.text(0), default: []].append(DeviceStateChange(time: $0.double(1), state: $0.text(2)))
            }
            for key in rows.changes.keys { rows.changes[key]?.sort { $0.time < $1.time } }
        }
        try db.prepare(
            """
            SELECT \(Rows.incidentColumns) FROM incidents
            WHERE opened_at < ?2 AND (?3 IS NULL OR site = ?3)
              AND (opened_at >= ?1 OR resolved_at IS NULL OR resolved_at >= ?1 OR respond_by >= ?1 OR onsite_by >= ?1)
            ORDER BY id
            """
        ).query([.real(from), .real(to), SQLValue(site)]) { rows.incidents.append(Rows.incident($0)) }
        let events = try db.prepare(
            """
            SELECT \(Rows.eventColumns) FROM events WHERE incident = ?1 AND event != 'UPDATE' ORDER BY seq
            """)
        for incident in rows.incidents {
            var list: [AlertEvent] = []
            try events.query([.integer(incident.id)]) { list.append(Rows.event($0)) }
            if !list.isEmpty { rows.events[incident.id] = list }
        }
        try db.prepare(
            """
            SELECT \(Rows.maintenanceColumns) FROM maintenance
            WHERE starts_at < ?2 AND COALESCE(removed_at, ends_at) > ?1
              AND (?3 IS NULL OR site = ?3 OR device IN (SELECT id FROM devices WHERE site = ?3))
            ORDER BY starts_at, id
            """
        ).query([.real(from), .real(to), SQLValue(site)]) { rows.maintenance.append(Rows.maintenance($0)) }
        return rows
    }

    /// When state history began; nil for a database whose daemon has not yet migrated it.
    public func stateHistorySince() throws -> Double? {
        var hasTable = false
        try db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'device_states'").query { _ in
            hasTable = true
        }
        guard hasTable else { return nil }
        var since: Double?
        try db.prepare("SELECT value FROM meta WHERE key = 'state_history_since'").query { since = $0.double(0) }
        return since
    }
}
