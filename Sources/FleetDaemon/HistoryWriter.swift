import FleetCore
import FleetStore
import Logging

/// Writes history off the hot path (issue 15), on the engine loop's connection after its commit
/// (SQLite's file or the active node's PostgreSQL session, `HistoryStoring`):
/// samples wait `stageSeconds`, are sorted by key (minute, device) and go in slices of
/// `sliceRows`, so a batch touches the few pages of its minute once; the rollup service's batches
/// are committed one per pass; expired rows are deleted `deleteRows` at a time, at most once a
/// `deleteInterval`. Each transaction is short; the loop never waits for more than one.
///
/// A failed write keeps its rows and retries them on the next pass (the database failing is the
/// engine's storage-failure, raised by the main commit).
struct HistoryWriter {
    /// Samples are written within a few seconds of the heartbeat (SPEC: visible within 10 s).
    static let stageSeconds = 2.0
    static let sliceRows = 1000
    static let deleteRows = 1000
    static let deleteInterval = 1.0
    /// Rows waiting beyond this many (a database failing for long) are dropped, oldest first.
    static let readyLimit = 200_000
    /// Buffers larger than this (a burst of first samples: every device's first heartbeat is one)
    /// are given back once empty.
    static let keptRows = 4096

    private(set) var settings: StorageSettings
    let handoff: RollupHandoff
    private let logger: Logger
    private var staged: [HistorySample] = []
    private var stagedSince = 0.0
    private var ready: [HistoryRow] = []
    private var readyStart = 0
    private var lastDelete = -Double.infinity
    /// No samples before this minute, no rollups before this hour: deleting there finds nothing.
    private var samplesCleanBefore = Int64.min
    private var hoursCleanBefore = Int64.min
    /// Every hour before this is rolled up; raw samples are never deleted past it.
    private(set) var hoursThrough: Int64
    private var failures = RateLimiter(burst: 1, period: 60)

    /// What the metrics endpoint shows.
    struct Stats {
        var samplesWritten = 0
        var rowsDeleted = 0
        var writeErrors = 0
    }
    private(set) var stats = Stats()

    init(settings: StorageSettings, handoff: RollupHandoff, hoursThrough: Int64, logger: Logger) {
        self.settings = settings
        self.handoff = handoff
        self.hoursThrough = hoursThrough
        self.logger = logger
    }

    /// Samples waiting to be written.
    var pending: Int { staged.count + ready.count - readyStart }

    /// Rows prepared and not written, and the last write went through: the loop should pass
    /// again at once rather than wait for messages. After a burst (100,000 first samples) one
    /// slice per 50 ms tick took 5 s to write them, and their buffers stayed resident meanwhile.
    /// Never while writes fail: that would spin on a failing database.
    var hasRowsReady: Bool { !lastWriteFailed && readyStart < ready.count }
    private var lastWriteFailed = false

    /// This node stopped writing (an HA node stood down): what it had not written is dropped, as
    /// the store's pending commits are; the node that is active now keeps its own samples.
    mutating func standBy() {
        handoff.writing = false
        staged.removeAll()
        ready.removeAll()
        readyStart = 0
    }

    /// This node writes again (it took over): rollups may have got further meanwhile.
    mutating func resume(hoursThrough through: Int64) {
        handoff.writing = true
        hoursThrough = max(hoursThrough, through)
        samplesCleanBefore = .min
        hoursCleanBefore = .min
    }

    /// A reload: history on or off, intervals and retention.
    mutating func configure(_ next: StorageSettings) {
        settings = next
        handoff.enabled = next.historyEnabled
        samplesCleanBefore = .min
        hoursCleanBefore = .min
    }

    /// One pass of the loop: stage `samples`, and write what is due in one short transaction.
    mutating func pass(_ samples: [HistorySample], store: any HistoryStoring, at now: Moment) {
        guard settings.historyEnabled else { return }
        if !samples.isEmpty {
            if staged.isEmpty { stagedSince = now.monotonic }
            staged += samples
        }
        do {
            if !staged.isEmpty && now.monotonic - stagedSince >= Self.stageSeconds { try prepare(store) }
            try write(store, at: now)
            lastWriteFailed = false
        } catch {
            lastWriteFailed = true
            stats.writeErrors += 1
            if failures.allow(at: now.monotonic) != nil {
                logger.error("history write failed; kept and retried", metadata: ["error": "\(error)"])
            }
        }
    }

    /// At shutdown: everything staged is written (slices until none are left).
    mutating func flush(store: any HistoryStoring, at now: Moment) {
        guard settings.historyEnabled else { return }
        stagedSince = -.infinity
        let errorsBefore = stats.writeErrors
        var passes = 0
        while pending > 0 && stats.writeErrors == errorsBefore && passes < 10_000 {
            pass([], store: store, at: now)
            passes += 1
        }
    }

    private mutating func prepare(_ store: any HistoryStoring) throws {
        let rows = try store.prepareHistory(staged)
        staged.removeAll(keepingCapacityUpTo: Self.keptRows)
        if readyStart > 0 {
            ready.removeFirst(readyStart)
            readyStart = 0
        }
        ready += rows
        if ready.count > Self.readyLimit { ready.removeFirst(ready.count - Self.readyLimit) }
    }

    private mutating func write(_ store: any HistoryStoring, at now: Moment) throws {
        var write = HistoryWrite()
        let end = min(ready.count, readyStart + Self.sliceRows)
        write.samples = ready[readyStart..<end]
        write.rollup = handoff.take()
        var samplesCutoff: Int64?
        var hoursCutoff: Int64?
        if now.monotonic - lastDelete >= Self.deleteInterval {
            lastDelete = now.monotonic
            let raw = HistoryRow.key(now.wall - settings.historyRawSeconds).minute
            let samples = min(raw, hoursThrough * 60)
            if samples > samplesCleanBefore { samplesCutoff = samples }
            let hours = Int64(((now.wall - Double(settings.historyDays) * 86400) / 3600).rounded(.down))
            if hours > hoursCleanBefore { hoursCutoff = hours }
        }
        write.deleteSamplesBefore = samplesCutoff
        write.deleteHoursBefore = hoursCutoff
        write.deleteLimit = Self.deleteRows
        guard !write.isEmpty else { return }
        let result: HistoryWriteResult
        do {
            result = try store.writeHistory(write)
        } catch {
            if let batch = write.rollup { handoff.putBack(batch) }
            throw error
        }
        stats.samplesWritten += end - readyStart
        readyStart = end
        if readyStart == ready.count {
            ready.removeAll(keepingCapacityUpTo: Self.keptRows)
            readyStart = 0
        }
        if let batch = write.rollup, batch.completesHour { hoursThrough = max(hoursThrough, batch.hour + 1) }
        stats.rowsDeleted += result.samplesDeleted + result.hoursDeleted
        if let samplesCutoff, result.samplesDeleted < Self.deleteRows { samplesCleanBefore = samplesCutoff }
        if let hoursCutoff, result.hoursDeleted < Self.deleteRows { hoursCleanBefore = hoursCutoff }
        // More to delete: next pass, not a second later.
        if result.samplesDeleted == Self.deleteRows || result.hoursDeleted == Self.deleteRows {
            lastDelete = -.infinity
        }
    }
}
