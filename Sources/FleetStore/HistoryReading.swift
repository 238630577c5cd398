/// What `fleetwatch history` reads (SPEC §12, issue 15), from SQLite's `StoreReader` or
/// `PostgresStoreReader`: the same answers from either, oldest first.
public protocol HistoryReading: AnyObject {
    /// The device's key in the history tables; nil when it has none.
    func historyKey(device id: String) throws -> Int64?
    /// Every metric name by id.
    func historyMetricNames() throws -> [Int64: String]
    /// The device's raw samples with `from <= time < until`, oldest first; within a sample in the
    /// order the device sent them.
    func historySamples(
        device key: Int64, from: Double, until: Double, names: [Int64: String]
    ) throws
        -> [HistoryPoint]
    /// The device's hourly rollups for hours `fromHour ..< untilHour`, oldest first.
    func historyHours(
        device key: Int64, fromHour: Int64, untilHour: Int64, names: [Int64: String]
    ) throws
        -> [HistoryHourPoint]
    /// Every hour before this is rolled up (0: none yet).
    func historyHoursThrough() throws -> Int64
    /// The oldest minute that still has raw samples, nil when there are none.
    func oldestHistoryMinute() throws -> Int64?
    /// The metrics of the device's rolled-up history.
    func historyMetrics(device key: Int64) throws -> Set<Int64>
}
