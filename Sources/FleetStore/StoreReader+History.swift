import FleetCore
import SQLite

/// One raw sample of one metric, as `fleetwatch history` shows it.
public struct HistoryPoint: Sendable, Equatable {
    public var time: Double
    public var metric: String
    public var value: Double
    public init(time: Double, metric: String, value: Double) {
        self.time = time
        self.metric = metric
        self.value = value
    }
}

/// One hour of one metric, rolled up.
public struct HistoryHourPoint: Sendable, Equatable {
    /// Start of the hour (Unix seconds).
    public var time: Double
    public var metric: String
    public var aggregate: HistoryCodec.Aggregate
    public init(time: Double, metric: String, aggregate: HistoryCodec.Aggregate) {
        self.time = time
        self.metric = metric
        self.aggregate = aggregate
    }
}

/// What the CLI reads of history and forecasts (issue 15).
extension StoreReader {
    /// One device, or nil.
    public func device(_ id: String) throws -> DeviceRecord? {
        var found: DeviceRecord?
        try db.prepare("SELECT \(Rows.deviceColumns) FROM devices WHERE id = ?1").query([.text(id)]) {
            found = Rows.device($0)
        }
        return found
    }

    /// The device's key in the history tables; nil when it has none.
    public func historyKey(device id: String) throws -> Int64? {
        var key: Int64?
        try db.prepare("SELECT id FROM history_devices WHERE device = ?1").query([.text(id)]) { key = $0.int(0) }
        return key
    }

    /// Every metric name by id.
    public func historyMetricNames() throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        try db.prepare("SELECT id, name FROM history_metrics").query { names[$0.int(0)] = $0.text(1) }
        return names
    }

    /// The device's raw samples with `from <= time < until`, oldest first; within a sample in the
    /// order the device sent them. One lookup per minute: the table is ordered by time first.
    public func historySamples(
        device key: Int64, from: Double, until: Double,
        names: [Int64: String]
    ) throws -> [HistoryPoint] {
        guard until > from else { return [] }
        let statement = try db.prepare(
            "SELECT ms, data FROM history_samples WHERE minute = ?1 AND device = ?2 ORDER BY ms")
        var out: [HistoryPoint] = []
        let first = HistoryRow.key(from).minute
        let last = HistoryRow.key(until).minute
        var minute = first
        while minute <= last {
            try statement.query([.integer(minute), .integer(key)]) { row in
                let time = Double(minute) * 60 + Double(row.int(0)) / 1000
                guard time >= from, time < until, let values = HistoryCodec.decodeSample(row.blob(1)) else { return }
                for (metric, value) in values {
                    out.append(HistoryPoint(time: time, metric: names[metric] ?? "metric-\(metric)", value: value))
                }
            }
            minute += 1
        }
        return out
    }

    /// The device's hourly rollups for hours `fromHour ..< untilHour`, oldest first.
    public func historyHours(
        device key: Int64, fromHour: Int64, untilHour: Int64,
        names: [Int64: String]
    ) throws -> [HistoryHourPoint] {
        let statement = try db.prepare("SELECT data FROM history_hours WHERE hour = ?1 AND device = ?2")
        var out: [HistoryHourPoint] = []
        var hour = fromHour
        while hour < untilHour {
            try statement.query([.integer(hour), .integer(key)]) { row in
                guard let metrics = HistoryCodec.decodeHour(row.blob(0)) else { return }
                for (metric, aggregate) in metrics {
                    out.append(
                        HistoryHourPoint(
                            time: Double(hour) * 3600, metric: names[metric] ?? "metric-\(metric)",
                            aggregate: aggregate))
                }
            }
            hour += 1
        }
        return out
    }

    /// Every hour before this is rolled up (0: none yet).
    public func historyHoursThrough() throws -> Int64 {
        var through: Int64 = 0
        try db.prepare("SELECT value FROM meta WHERE key = 'history_hours_through'").query { through = $0.int(0) }
        return through
    }

    /// The oldest minute that still has raw samples, nil when there are none.
    public func oldestHistoryMinute() throws -> Int64? {
        var minute: Int64?
        try db.prepare("SELECT minute FROM history_samples ORDER BY minute LIMIT 1").query { minute = $0.int(0) }
        return minute
    }

    /// The metrics of the device's rolled-up history.
    public func historyMetrics(device key: Int64) throws -> Set<Int64> {
        var out: Set<Int64> = []
        try db.prepare("SELECT metric FROM history_series WHERE device = ?1").query([.integer(key)]) {
            out.insert($0.int(0))
        }
        return out
    }

    /// The device's forecasts (all devices' with nil), by device and name.
    public func forecasts(device: String? = nil) throws -> [ForecastStatus] {
        var out: [ForecastStatus] = []
        try db.prepare(
            "SELECT \(Rows.forecastColumns) FROM forecasts WHERE (?1 IS NULL OR device = ?1) ORDER BY device, name"
        )
        .query([SQLValue(device)]) { out.append(Rows.forecast($0)) }
        return out
    }
}
