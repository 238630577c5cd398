import Dispatch
import FleetStore
import Logging
import Synchronization
import SystemCalls

/// Rolls each hour of raw history up into min/avg/max/count per device and metric (issue 15), on
/// a thread of its own: it reads the raw samples on its own read-only connection (SQLite's file
/// or a PostgreSQL session, `HistoryRollupReading`) and computes, and hands the rows to the
/// engine loop (`RollupHandoff`), which commits them with its history writes. An hour is rolled
/// up `lag` seconds after it ended, when its staged samples are written. While the node does not
/// write (an HA standby) it reads nothing and holds no connection's work.
final class HistoryRollupService: Service, Sendable {
    var name: String { "history-rollup" }
    private let store: StoreLocation
    private let handoff: RollupHandoff
    private let logger: Logger
    private let wake = DispatchSemaphore(value: 0)
    private let stopping = Mutex(false)
    /// Seconds after an hour's end before it is rolled up (samples are staged for a few seconds).
    static let lag = 120.0
    /// How often to look for a finished hour when there is nothing to do.
    static let idleInterval = 10.0

    init(store: StoreLocation, handoff: RollupHandoff, logger: Logger) {
        self.store = store
        self.handoff = handoff
        self.logger = logger
    }

    func start() {}

    func run() {
        var rollup: (any HistoryRollupReading)?
        var progress: (hour: Int64, nextDevice: Int64)?
        var failing = false
        var busy = false
        while wait(busy ? 0.02 : Self.idleInterval) {
            busy = false
            guard handoff.rollsUp else {
                progress = nil
                continue
            }
            if handoff.isFull {
                busy = true
                continue
            }
            do {
                if rollup == nil { rollup = try store.openHistoryRollup() }
                guard let reader = rollup else { continue }
                if progress == nil {
                    guard let hour = try reader.nextHour(now: SystemClock.realtimeSeconds(), lag: Self.lag) else {
                        continue
                    }
                    progress = (hour, 1)
                }
                guard let (hour, first) = progress else { continue }
                let maxKey = try reader.maxDeviceKey()
                let end = first + HistoryRollup.devicesPerBatch
                let completes = end > maxKey
                handoff.put(try reader.rollUp(hour: hour, devices: first..<end, completesHour: completes))
                // After the last batch of an hour, wait for the writer to record it before
                // asking for the next hour (it would be this one again).
                progress = completes ? nil : (hour, end)
                busy = !completes
                if completes { try waitUntilRecorded(hour, reader) }
                failing = false
            } catch {
                if !failing { logger.error("history rollup failed (retried)", metadata: ["error": "\(error)"]) }
                failing = true
                rollup = nil
                progress = nil
            }
        }
    }

    /// Waits (a little at a time, while running) until the writer has recorded `hour` as rolled up.
    private func waitUntilRecorded(_ hour: Int64, _ reader: any HistoryRollupReading) throws {
        while try reader.hoursThrough() <= hour {
            guard wait(0.05), handoff.rollsUp else { return }
        }
    }

    /// Sleeps up to `seconds`; false once stopping.
    private func wait(_ seconds: Double) -> Bool {
        if stopping.withLock({ $0 }) { return false }
        _ = wake.wait(timeout: .now() + seconds)
        return !stopping.withLock { $0 }
    }

    func stop() {
        stopping.withLock { $0 = true }
        wake.signal()
    }
}
