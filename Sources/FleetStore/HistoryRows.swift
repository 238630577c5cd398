/// History as the daemon writes it (issue 15): rows ready for `history_samples` and
/// `history_hours`, and one batched write.

/// One sample row. Rows sort by their key, so a sorted slice lands on neighbouring pages.
public struct HistoryRow: Sendable, Equatable, Comparable {
    /// Unix minute (time / 60), the first key: rows of one minute sit together.
    public var minute: Int64
    /// `history_devices.id`.
    public var device: Int64
    /// Milliseconds within the minute.
    public var ms: Int64
    /// `HistoryCodec.encodeSample`.
    public var data: [UInt8]

    public init(minute: Int64, device: Int64, ms: Int64, data: [UInt8]) {
        self.minute = minute
        self.device = device
        self.ms = ms
        self.data = data
    }

    /// Where a sample taken at Unix time `time` goes.
    public static func key(_ time: Double) -> (minute: Int64, ms: Int64) {
        let minute = Int64((time / 60).rounded(.down))
        let ms = Int64(((time - Double(minute) * 60) * 1000).rounded(.down))
        return (minute, min(max(ms, 0), 59_999))
    }

    public var time: Double { Double(minute) * 60 + Double(ms) / 1000 }

    public static func < (a: HistoryRow, b: HistoryRow) -> Bool {
        (a.minute, a.device, a.ms) < (b.minute, b.device, b.ms)
    }
}

/// One device's rollup of one hour: per metric min, max, avg and count (`HistoryCodec.encodeHour`).
public struct HistoryHourRow: Sendable, Equatable {
    /// Unix hour (time / 3600).
    public var hour: Int64
    public var device: Int64
    public var data: [UInt8]

    public init(hour: Int64, device: Int64, data: [UInt8]) {
        self.hour = hour
        self.device = device
        self.data = data
    }
}

/// A piece of rolled-up history: the rows of some devices for one hour, the (device, metric)
/// pairs they hold, and whether it completes the hour.
public struct HistoryRollupBatch: Sendable, Equatable {
    public var hour: Int64
    public var rows: [HistoryHourRow]
    public var series: [HistorySeries]
    /// After this batch, every hour before `hour + 1` is rolled up.
    public var completesHour: Bool

    public init(hour: Int64, rows: [HistoryHourRow], series: [HistorySeries], completesHour: Bool) {
        self.hour = hour
        self.rows = rows
        self.series = series
        self.completesHour = completesHour
    }
}

/// A device has history of a metric (`history_series`): how the CLI knows a metric is unknown.
public struct HistorySeries: Sendable, Hashable {
    public var device: Int64
    public var metric: Int64
    public init(device: Int64, metric: Int64) {
        self.device = device
        self.metric = metric
    }
}

/// What one history transaction does; each part may be empty. Deletions take at most
/// `deleteLimit` rows of each table, oldest first, so one never holds the writer for long.
public struct HistoryWrite: Sendable {
    public var samples: ArraySlice<HistoryRow> = []
    public var rollup: HistoryRollupBatch?
    /// Delete samples of minutes before this.
    public var deleteSamplesBefore: Int64?
    /// Delete rollups of hours before this.
    public var deleteHoursBefore: Int64?
    public var deleteLimit = 1000

    public init() {}

    public var isEmpty: Bool {
        samples.isEmpty && rollup == nil && deleteSamplesBefore == nil && deleteHoursBefore == nil
    }
}

/// What a history transaction deleted: fewer than `deleteLimit` means that table is clean.
public struct HistoryWriteResult: Sendable, Equatable {
    public var samplesDeleted = 0
    public var hoursDeleted = 0
    public init() {}
}
