import FleetCore
import Postgres

/// SQLite's `HistoryRollup` on PostgreSQL (issue 15): reads an ended hour's raw samples on a
/// read-only session of its own, so the engine loop's writer never waits for it, and computes
/// the hour's batches (`HistoryHourAccumulator`); the daemon's writer commits them. A standby's
/// rollups are never committed (its writer holds no session), so reading here writes nothing
/// anywhere. Not thread-safe: one thread uses it.
public final class PostgresHistoryRollup: HistoryRollupReading {
    let db: PostgresConnection

    public init(_ target: PostgresTarget, as client: String = "fleetwatchd history-rollup") throws {
        db = try target.connect(as: client, readOnly: true)
        guard (try PostgresSchema.version(db) ?? 0) >= PostgresSchema.historyVersion else {
            throw StoreOpenError("no history tables yet in \(target) (the daemon migrates them at start)")
        }
    }

    public func nextHour(now: Double, lag: Double) throws -> Int64? {
        let through = try hoursThrough()
        let oldest = try db.query(
            "SELECT minute FROM history_samples WHERE minute >= $1 ORDER BY minute LIMIT 1", [.integer(through * 60)]
        ).first?.int(0)
        guard let oldest else { return nil }
        let hour = max(through, oldest / 60)
        return Double(hour + 1) * 3600 + lag <= now ? hour : nil
    }

    public func hoursThrough() throws -> Int64 {
        try db.query("SELECT value FROM meta WHERE key = 'history_hours_through'").first?.int(0) ?? 0
    }

    public func maxDeviceKey() throws -> Int64 {
        try db.query("SELECT COALESCE(MAX(id), 0) FROM history_devices").first?.int(0) ?? 0
    }

    /// One statement for the hour: per minute one index descent to the batch's first device
    /// (`minute = ANY(…) AND device >= … AND device < …`), in key order, as SQLite reads it.
    public func rollUp(hour: Int64, devices: Range<Int64>, completesHour: Bool) throws -> HistoryRollupBatch {
        let rows = try db.query(
            """
            SELECT device, data FROM history_samples
            WHERE minute = ANY(ARRAY(SELECT generate_series($1::bigint, $1::bigint + 59))) AND device >= $2 AND device < $3
            ORDER BY minute, device, ms
            """, [.integer(hour * 60), .integer(devices.lowerBound), .integer(devices.upperBound)])
        var accumulator = HistoryHourAccumulator(hour: hour)
        for row in rows { accumulator.add(device: row.int(0), data: row.bytes(1)) }
        return accumulator.batch(completesHour: completesHour)
    }
}
