import FleetCore
import SQLite

/// The writer's prepared statements for history (issue 15), and the metric ids it has seen.
final class HistoryStatements {
    let findDevice: Statement
    let insertDevice: Statement
    let findMetric: Statement
    let insertMetric: Statement
    let insertSample: Statement
    let insertHour: Statement
    let insertSeries: Statement
    let setHoursThrough: Statement
    let deleteSamples: Statement
    let deleteHours: Statement
    /// Metric name → `history_metrics.id`: a fleet has a few dozen names.
    var metricIDs: [String: Int64] = [:]
    /// Names beyond this many are not kept: a device sending a new name with every heartbeat must
    /// not grow the table (and this cache) without bound.
    static let maxMetricNames = 4096

    init(_ db: Database) throws {
        findDevice = try db.prepare("SELECT id FROM history_devices WHERE device = ?1")
        insertDevice = try db.prepare("INSERT INTO history_devices(device) VALUES (?1)")
        findMetric = try db.prepare("SELECT id FROM history_metrics WHERE name = ?1")
        insertMetric = try db.prepare("INSERT INTO history_metrics(name) VALUES (?1)")
        insertSample = try db.prepare(
            "INSERT OR REPLACE INTO history_samples(minute, device, ms, data) VALUES (?1,?2,?3,?4)")
        insertHour = try db.prepare("INSERT OR REPLACE INTO history_hours(hour, device, data) VALUES (?1,?2,?3)")
        insertSeries = try db.prepare("INSERT OR IGNORE INTO history_series(device, metric) VALUES (?1,?2)")
        setHoursThrough = try db.prepare(
            "UPDATE meta SET value = ?1 WHERE key = 'history_hours_through' AND value < ?1")
        // Oldest first by the primary key, a bounded number: contiguous pages, a short transaction.
        deleteSamples = try db.prepare(
            """
            DELETE FROM history_samples WHERE (minute, device, ms) IN
              (SELECT minute, device, ms FROM history_samples WHERE minute < ?1 ORDER BY minute, device, ms LIMIT ?2)
            """)
        deleteHours = try db.prepare(
            """
            DELETE FROM history_hours WHERE (hour, device) IN
              (SELECT hour, device FROM history_hours WHERE hour < ?1 ORDER BY hour, device LIMIT ?2)
            """)
    }

    func id(_ find: Statement, _ insert: Statement, _ name: String, db: Database) throws -> Int64 {
        var found: Int64?
        try find.query([.text(name)]) { found = $0.int(0) }
        if let found { return found }
        try insert.run([.text(name)])
        return db.lastInsertRowID
    }
}

extension StoreWriter {
    /// Turns samples into rows, sorted by key: interns device and metric names (new ones are
    /// inserted, in one transaction) and encodes each sample's values.
    public func prepareHistory(_ samples: [HistorySample]) throws -> [HistoryRow] {
        guard !samples.isEmpty else { return [] }
        let h = history
        return try db.transaction {
            var devices: [String: Int64] = [:]
            var rows: [HistoryRow] = []
            rows.reserveCapacity(samples.count)
            for sample in samples {
                let device: Int64
                if let known = devices[sample.device] {
                    device = known
                } else {
                    device = try h.id(h.findDevice, h.insertDevice, sample.device, db: db)
                    devices[sample.device] = device
                }
                var values: [(metric: Int64, value: Double)] = []
                values.reserveCapacity(sample.values.count)
                for v in sample.values {
                    guard let metric = try metricID(v.metric), !values.contains(where: { $0.metric == metric }) else {
                        continue
                    }
                    values.append((metric, v.value))
                }
                guard !values.isEmpty else { continue }
                let key = HistoryRow.key(sample.time)
                rows.append(
                    HistoryRow(
                        minute: key.minute, device: device, ms: key.ms,
                        data: HistoryCodec.encodeSample(values)))
            }
            rows.sort()
            return rows
        }
    }

    /// A metric's id, interning a new name unless there are too many names already.
    private func metricID(_ name: String) throws -> Int64? {
        let h = history
        if let id = h.metricIDs[name] { return id }
        var found: Int64?
        try h.findMetric.query([.text(name)]) { found = $0.int(0) }
        if found == nil {
            guard h.metricIDs.count < HistoryStatements.maxMetricNames else { return nil }
            try h.insertMetric.run([.text(name)])
            found = db.lastInsertRowID
        }
        h.metricIDs[name] = found
        return found
    }

    /// One history transaction: sample rows, a rollup batch (and, when it completes its hour,
    /// how far rollups have got), and bounded deletions.
    public func writeHistory(_ write: HistoryWrite) throws -> HistoryWriteResult {
        guard !write.isEmpty else { return HistoryWriteResult() }
        let h = history
        return try db.transaction {
            var result = HistoryWriteResult()
            for row in write.samples {
                try h.insertSample.run([.integer(row.minute), .integer(row.device), .integer(row.ms), .blob(row.data)])
            }
            if let rollup = write.rollup {
                for row in rollup.rows {
                    try h.insertHour.run([.integer(row.hour), .integer(row.device), .blob(row.data)])
                }
                for s in rollup.series { try h.insertSeries.run([.integer(s.device), .integer(s.metric)]) }
                if rollup.completesHour { try h.setHoursThrough.run([.integer(rollup.hour + 1)]) }
            }
            if let before = write.deleteSamplesBefore {
                try h.deleteSamples.run([.integer(before), .integer(Int64(write.deleteLimit))])
                result.samplesDeleted = db.changes
            }
            if let before = write.deleteHoursBefore {
                try h.deleteHours.run([.integer(before), .integer(Int64(write.deleteLimit))])
                result.hoursDeleted = db.changes
            }
            return result
        }
    }

    /// Every hour before this is rolled up (0: none yet).
    public func historyHoursThrough() throws -> Int64 {
        var through: Int64 = 0
        try db.prepare("SELECT value FROM meta WHERE key = 'history_hours_through'").query { through = $0.int(0) }
        return through
    }

    /// Forecasts of kinds that no longer have them (a reload, a device's kind changed) go; `names`
    /// is each kind's forecasts.
    public func keepOnlyForecasts(_ names: [String: [String]]) throws {
        try db.transaction { try pruneForecasts(names) }
    }

    private func pruneForecasts(_ names: [String: [String]]) throws {
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS kept_forecasts(kind TEXT NOT NULL, name TEXT NOT NULL)")
        try db.execute("DELETE FROM temp.kept_forecasts")
        let insert = try db.prepare("INSERT INTO temp.kept_forecasts(kind, name) VALUES (?1, ?2)")
        for (kind, list) in names {
            for name in list { try insert.run([.text(kind), .text(name)]) }
        }
        try db.execute(
            """
            DELETE FROM forecasts WHERE NOT EXISTS (
              SELECT 1 FROM devices d JOIN temp.kept_forecasts k ON k.kind = d.kind
              WHERE d.id = forecasts.device AND k.name = forecasts.name)
            """)
    }
}
