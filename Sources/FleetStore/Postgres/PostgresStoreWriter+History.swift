import FleetCore
import Postgres
import SQLite

/// Metric history on PostgreSQL (issue 15): what SQLite's `StoreWriter` does with prepared
/// statements row by row, here one `unnest` statement per table, each call one transaction
/// fenced to the active lock (a node that lost it writes no history either).
extension PostgresStoreWriter: HistoryStoring {
    static let sampleColumns = PostgresColumns(types: ["bigint", "bigint", "bigint", "bytea"])
    static let hourColumns = PostgresColumns(types: ["bigint", "bigint", "bytea"])
    static let seriesColumns = PostgresColumns(types: ["bigint", "bigint"])

    static let insertSamples =
        "INSERT INTO history_samples(minute, device, ms, data) SELECT * FROM \(sampleColumns.unnest)"
        + " ON CONFLICT (minute, device, ms) DO UPDATE SET data = excluded.data"
    static let insertHours =
        "INSERT INTO history_hours(hour, device, data) SELECT * FROM \(hourColumns.unnest)"
        + " ON CONFLICT (hour, device) DO UPDATE SET data = excluded.data"
    static let insertSeries =
        "INSERT INTO history_series(device, metric) SELECT * FROM \(seriesColumns.unnest) ON CONFLICT DO NOTHING"

    /// Interns the samples' device and metric names (new ones in one fenced transaction; none
    /// when every name is known) and encodes each sample's values, rows sorted by key. Metric
    /// names beyond `HistoryStatements.maxMetricNames` are not kept, as with SQLite.
    public func prepareHistory(_ samples: [HistorySample]) throws -> [HistoryRow] {
        guard !samples.isEmpty else { return [] }
        var deviceNames: [String] = []
        var seenDevices: Set<String> = []
        var newMetrics: [String] = []
        var seenMetrics: Set<String> = []
        for sample in samples {
            if seenDevices.insert(sample.device).inserted { deviceNames.append(sample.device) }
            for v in sample.values where historyMetricIDs[v.metric] == nil {
                if seenMetrics.insert(v.metric).inserted { newMetrics.append(v.metric) }
            }
        }
        let (devices, metrics) = try onSession { db in
            var devices = try Self.ids(db, "history_devices", "device", deviceNames)
            var metrics = try Self.ids(db, "history_metrics", "name", newMetrics)
            let missingDevices = deviceNames.filter { devices[$0] == nil }
            let room = max(0, HistoryStatements.maxMetricNames - historyMetricIDs.count - metrics.count)
            let missingMetrics = Array(newMetrics.filter { metrics[$0] == nil }.prefix(room))
            if !missingDevices.isEmpty || !missingMetrics.isEmpty {
                try fenced { db in
                    devices.merge(try Self.intern(db, "history_devices", "device", missingDevices)) { a, _ in a }
                    metrics.merge(try Self.intern(db, "history_metrics", "name", missingMetrics)) { a, _ in a }
                }
            }
            return (devices, metrics)
        }
        historyMetricIDs.merge(metrics) { a, _ in a }
        var rows: [HistoryRow] = []
        rows.reserveCapacity(samples.count)
        for sample in samples {
            guard let device = devices[sample.device] else { continue }
            var values: [(metric: Int64, value: Double)] = []
            values.reserveCapacity(sample.values.count)
            for v in sample.values {
                guard let metric = historyMetricIDs[v.metric], !values.contains(where: { $0.metric == metric }) else {
                    continue
                }
                values.append((metric, v.value))
            }
            guard !values.isEmpty else { continue }
            let key = HistoryRow.key(sample.time)
            rows.append(
                HistoryRow(minute: key.minute, device: device, ms: key.ms, data: HistoryCodec.encodeSample(values)))
        }
        rows.sort()
        return rows
    }

    /// The ids of those of `names` the table has.
    private static func ids(
        _ db: PostgresConnection, _ table: String, _ column: String, _ names: [String]
    ) throws
        -> [String: Int64]
    {
        guard !names.isEmpty else { return [:] }
        var out: [String: Int64] = [:]
        for row in try db.query(
            "SELECT \(column), id FROM \(table) WHERE \(column) = ANY($1::text[])",
            [.text(PostgresArray.literal(names.map { Optional($0) }))])
        { out[row.text(0)] = row.int(1) }
        return out
    }

    /// Inserts `names` (none of them in the table: this writer is the only one) in their order.
    private static func intern(
        _ db: PostgresConnection, _ table: String, _ column: String, _ names: [String]
    ) throws
        -> [String: Int64]
    {
        guard !names.isEmpty else { return [:] }
        var out: [String: Int64] = [:]
        for row in try db.query(
            """
            INSERT INTO \(table)(\(column)) SELECT n FROM unnest($1::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i
            ON CONFLICT (\(column)) DO NOTHING RETURNING \(column), id
            """, [.text(PostgresArray.literal(names.map { Optional($0) }))])
        { out[row.text(0)] = row.int(1) }
        return out
    }

    /// One fenced transaction: sample rows, a rollup batch (and, when it completes its hour, how
    /// far rollups have got), and deletions of at most `deleteLimit` rows per table, oldest first.
    public func writeHistory(_ write: HistoryWrite) throws -> HistoryWriteResult {
        guard !write.isEmpty else { return HistoryWriteResult() }
        return try fenced { db in
            var result = HistoryWriteResult()
            let samples = write.samples.map { row -> [SQLValue] in
                [.integer(row.minute), .integer(row.device), .integer(row.ms), .blob(row.data)]
            }
            // A key twice in one slice goes to a later round: the last one wins, as with SQLite's REPLACE.
            for round in PostgresColumns.rounds(samples, key: { [$0[0], $0[1], $0[2]].map(\.postgresText) }) {
                try db.query(Self.insertSamples, Self.sampleColumns.parameters(round))
            }
            if let rollup = write.rollup {
                let hours = rollup.rows.map { row -> [SQLValue] in
                    [.integer(row.hour), .integer(row.device), .blob(row.data)]
                }
                for round in PostgresColumns.rounds(hours, key: { [$0[0], $0[1]].map(\.postgresText) }) {
                    try db.query(Self.insertHours, Self.hourColumns.parameters(round))
                }
                if !rollup.series.isEmpty {
                    try db.query(
                        Self.insertSeries,
                        Self.seriesColumns.parameters(rollup.series.map { [.integer($0.device), .integer($0.metric)] }))
                }
                if rollup.completesHour {
                    try db.query(
                        "UPDATE meta SET value = $1 WHERE key = 'history_hours_through' AND value < $1",
                        [.integer(rollup.hour + 1)])
                }
            }
            if let before = write.deleteSamplesBefore {
                result.samplesDeleted = try Self.deleteOldest(
                    db, "history_samples", "minute, device, ms", "minute", before, write.deleteLimit)
            }
            if let before = write.deleteHoursBefore {
                result.hoursDeleted = try Self.deleteOldest(
                    db, "history_hours", "hour, device", "hour", before, write.deleteLimit)
            }
            return result
        }
    }

    /// Deletes at most `limit` rows with `column < before`, oldest first by the primary key
    /// (contiguous index pages, a short transaction); how many went.
    private static func deleteOldest(
        _ db: PostgresConnection, _ table: String, _ key: String, _ column: String, _ before: Int64, _ limit: Int
    ) throws -> Int {
        let rows = try db.query(
            """
            WITH gone AS (DELETE FROM \(table) WHERE (\(key)) IN
              (SELECT \(key) FROM \(table) WHERE \(column) < $1 ORDER BY \(key) LIMIT $2) RETURNING 1)
            SELECT count(*) FROM gone
            """, [.integer(before), .integer(Int64(limit))])
        return Int(rows.first?.int(0) ?? 0)
    }

    public func historyHoursThrough() throws -> Int64 {
        try onSession { db in
            try db.query("SELECT value FROM meta WHERE key = 'history_hours_through'").first?.int(0) ?? 0
        }
    }
}
