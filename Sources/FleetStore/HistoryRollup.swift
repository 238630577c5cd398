import FleetCore
import SQLite

/// Rolls raw samples up into hourly min/max/avg/count (issue 15), reading on a connection of its
/// own so that the daemon's writer never waits for it (WAL: readers and the writer do not block
/// each other). It only computes; the batches go to the writer (`HistoryStoring.writeHistory`).
/// Not thread-safe: one thread uses it.
public final class HistoryRollup: HistoryRollupReading {
    let db: Database
    private let samplesOfMinute: Statement
    /// Devices per batch: ~60 × this many rows read, this many written.
    public static let devicesPerBatch: Int64 = 1000

    public init(path: String) throws {
        db = try Database(path: path, mode: .readOnly)
        samplesOfMinute = try db.prepare(
            """
            SELECT device, data FROM history_samples WHERE minute = ?1 AND device >= ?2 AND device < ?3
            ORDER BY device, ms
            """)
    }

    /// The first hour not rolled up yet, and whether it has ended `lag` seconds before `now`:
    /// nil when there is nothing to do. Hours before the oldest sample are skipped.
    public func nextHour(now: Double, lag: Double) throws -> Int64? {
        var through: Int64 = 0
        try db.prepare("SELECT value FROM meta WHERE key = 'history_hours_through'").query { through = $0.int(0) }
        var oldest: Int64?
        try db.prepare("SELECT minute FROM history_samples WHERE minute >= ?1 ORDER BY minute LIMIT 1")
            .query([.integer(through * 60)]) { oldest = $0.int(0) }
        guard let oldest else { return nil }
        let hour = max(through, oldest / 60)
        return Double(hour + 1) * 3600 + lag <= now ? hour : nil
    }

    /// Every hour before this is rolled up (0: none yet).
    public func hoursThrough() throws -> Int64 {
        var through: Int64 = 0
        try db.prepare("SELECT value FROM meta WHERE key = 'history_hours_through'").query { through = $0.int(0) }
        return through
    }

    /// The largest device key (keys are dense from 1).
    public func maxDeviceKey() throws -> Int64 {
        var key: Int64 = 0
        try db.prepare("SELECT COALESCE(MAX(id), 0) FROM history_devices").query { key = $0.int(0) }
        return key
    }

    /// The rollups of `hour` for devices with keys in `devices`. One lookup per minute: the
    /// table is ordered by minute first, so each reads only the batch's devices of that minute.
    public func rollUp(hour: Int64, devices: Range<Int64>, completesHour: Bool) throws -> HistoryRollupBatch {
        var accumulator = HistoryHourAccumulator(hour: hour)
        for minute in hour * 60..<(hour + 1) * 60 {
            try samplesOfMinute.query([.integer(minute), .integer(devices.lowerBound), .integer(devices.upperBound)]) {
                accumulator.add(device: $0.int(0), data: $0.blob(1))
            }
        }
        return accumulator.batch(completesHour: completesHour)
    }
}
