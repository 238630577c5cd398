/// The rollup service's reading side (issue 15): an ended hour's raw samples, read on a
/// read-only connection of its own (SQLite's `HistoryRollup`, `PostgresHistoryRollup`) and
/// turned into batches that the daemon's writer commits. Not thread-safe: one thread uses it.
public protocol HistoryRollupReading: AnyObject {
    /// The first hour not rolled up yet, and whether it has ended `lag` seconds before `now`:
    /// nil when there is nothing to do. Hours before the oldest sample are skipped.
    func nextHour(now: Double, lag: Double) throws -> Int64?
    /// Every hour before this is rolled up (0: none yet).
    func hoursThrough() throws -> Int64
    /// The largest device key (keys are dense from 1).
    func maxDeviceKey() throws -> Int64
    /// The rollups of `hour` for devices with keys in `devices`.
    func rollUp(hour: Int64, devices: Range<Int64>, completesHour: Bool) throws -> HistoryRollupBatch
}
