import FleetCore
import Postgres

/// `fleetwatch history` on PostgreSQL (issue 15): the same answers as SQLite's `StoreReader`.
/// A period's rows are one statement: `minute = ANY(…) AND device = $n` is one index descent per
/// minute (the table is ordered by minute first), never a scan of every device's rows.
extension PostgresStoreReader: HistoryReading {
    public func historyKey(device id: String) throws -> Int64? {
        guard hasHistory else { return nil }
        return try db.query("SELECT id FROM history_devices WHERE device = $1", [.text(id)]).first?.int(0)
    }

    public func historyMetricNames() throws -> [Int64: String] {
        guard hasHistory else { return [:] }
        var names: [Int64: String] = [:]
        for row in try db.query("SELECT id, name FROM history_metrics") { names[row.int(0)] = row.text(1) }
        return names
    }

    public func historySamples(
        device key: Int64, from: Double, until: Double,
        names: [Int64: String]
    ) throws -> [HistoryPoint] {
        guard hasHistory, until > from else { return [] }
        let rows = try db.query(
            """
            SELECT minute, ms, data FROM history_samples
            WHERE minute = ANY(ARRAY(SELECT generate_series($1::bigint, $2::bigint))) AND device = $3
            ORDER BY minute, ms
            """,
            [.integer(HistoryRow.key(from).minute), .integer(HistoryRow.key(until).minute), .integer(key)])
        var out: [HistoryPoint] = []
        for row in rows {
            let time = Double(row.int(0)) * 60 + Double(row.int(1)) / 1000
            guard time >= from, time < until, let values = HistoryCodec.decodeSample(row.bytes(2)) else { continue }
            for (metric, value) in values {
                out.append(HistoryPoint(time: time, metric: names[metric] ?? "metric-\(metric)", value: value))
            }
        }
        return out
    }

    public func historyHours(
        device key: Int64, fromHour: Int64, untilHour: Int64,
        names: [Int64: String]
    ) throws -> [HistoryHourPoint] {
        guard hasHistory, untilHour > fromHour else { return [] }
        let rows = try db.query(
            """
            SELECT hour, data FROM history_hours
            WHERE hour = ANY(ARRAY(SELECT generate_series($1::bigint, $2::bigint - 1))) AND device = $3
            ORDER BY hour
            """, [.integer(fromHour), .integer(untilHour), .integer(key)])
        var out: [HistoryHourPoint] = []
        for row in rows {
            guard let metrics = HistoryCodec.decodeHour(row.bytes(1)) else { continue }
            for (metric, aggregate) in metrics {
                out.append(
                    HistoryHourPoint(
                        time: Double(row.int(0)) * 3600, metric: names[metric] ?? "metric-\(metric)",
                        aggregate: aggregate))
            }
        }
        return out
    }

    public func historyHoursThrough() throws -> Int64 {
        guard hasHistory else { return 0 }
        return try db.query("SELECT value FROM meta WHERE key = 'history_hours_through'").first?.int(0) ?? 0
    }

    public func oldestHistoryMinute() throws -> Int64? {
        guard hasHistory else { return nil }
        return try db.query("SELECT minute FROM history_samples ORDER BY minute LIMIT 1").first?.int(0)
    }

    public func historyMetrics(device key: Int64) throws -> Set<Int64> {
        guard hasHistory else { return [] }
        return Set(
            try db.query("SELECT metric FROM history_series WHERE device = $1", [.integer(key)]).map { $0.int(0) })
    }
}
