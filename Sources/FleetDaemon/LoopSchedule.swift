/// When the engine loop's periodic duties are next due, on the monotonic clock.
struct LoopSchedule {
    /// last_seen goes to the database in slices of 2,000 rows every 100 ms: one 20k-row commit a
    /// second blocked the loop ~70 ms and pushed detection p99 past its target (Benchmarks: detection).
    static let lastSeenInterval = 0.1
    static let lastSeenSlice = 2000
    /// A flush round: each device's `last_seen` is written at most once a round. Without rounds
    /// a device heartbeating many times a second was written every time the FIFO came round
    /// (10,000 devices at full-rate ingest: 20,000 rows a second, ~9% of the daemon's CPU).
    static let lastSeenRoundInterval = 1.0
    /// Status row, health snapshot, alert-log retry.
    static let statusInterval = 1.0

    private var lastSeenFlush = -Double.infinity
    private var lastSeenRound = -Double.infinity
    private var statusWrite = -Double.infinity
    private var forecastsPruned = false

    mutating func lastSeenDue(at monotonic: Double) -> Bool {
        Self.due(&lastSeenFlush, every: Self.lastSeenInterval, at: monotonic)
    }

    /// Called when `lastSeenDue` said yes: whether this flush starts a new round.
    mutating func lastSeenRoundDue(at monotonic: Double) -> Bool {
        Self.due(&lastSeenRound, every: Self.lastSeenRoundInterval, at: monotonic)
    }

    mutating func statusDue(at monotonic: Double) -> Bool {
        Self.due(&statusWrite, every: Self.statusInterval, at: monotonic)
    }

    /// Whether `interval` has passed since `last`; if so, now is the new `last`.
    private static func due(_ last: inout Double, every interval: Double, at monotonic: Double) -> Bool {
        guard monotonic - last >= interval else { return false }
        last = monotonic
        return true
    }

    /// Pruning stored forecasts of kinds that no longer have them: once, in the first pass after
    /// READY=1. Housekeeping, not monitoring, and 0.2–0.5 s of a 100,000-device restart before
    /// READY (a device lookup per stored forecast; docs/benchmarks.md, round 2, fourth pass).
    mutating func forecastPruneDue(ready: Bool) -> Bool {
        guard ready, !forecastsPruned else { return false }
        forecastsPruned = true
        return true
    }
}
