import Logging
import SystemCalls

/// Returns the allocator's free memory to the kernel once a burst of registrations is over.
///
/// A burst (100,000 devices' first heartbeats published as fast as possible) passes through
/// buffers that are freed afterwards (the inbox, the registrations' commit, the first history
/// samples), but glibc keeps the freed memory in its arenas: measured 5 s after such a burst,
/// `malloc_trim` gave back tens of MiB of resident memory (docs/benchmarks.md, round 2). Steady
/// traffic does not grow the heap, so the trim runs only after registrations, not on a timer.
struct HeapTrimmer {
    /// Registrations since the last trim that make one worth its few milliseconds.
    static let burstRegistrations = 10_000
    private var registrationsAtLastTrim = 0
    private var registrationsLastSecond = 0

    /// Called about once a second from the engine loop: trims once a second has gone by without a
    /// registration after at least `burstRegistrations` of them, and the history samples those
    /// registrations took (every device's first heartbeat is one) are written (`historyBacklog`
    /// at most `HistoryWriter.keptRows`): trimmed before that, the freed rows stayed resident,
    /// ~90 B per device at 100,000 (docs/benchmarks.md, round 2, memory).
    @discardableResult
    mutating func second(registrations: Int, historyBacklog: Int, logger: Logger) -> Bool {
        defer { registrationsLastSecond = registrations }
        guard registrations == registrationsLastSecond, historyBacklog <= HistoryWriter.keptRows,
            registrations - registrationsAtLastTrim >= Self.burstRegistrations
        else { return false }
        let burst = registrations - registrationsAtLastTrim
        registrationsAtLastTrim = registrations
        let started = SystemClock.monotonicSeconds()
        HeapMemory.trim()
        logger.debug(
            "free heap memory returned after registrations",
            metadata: [
                "registrations": "\(burst)",
                "took_ms": "\(Int(((SystemClock.monotonicSeconds() - started) * 1000).rounded()))",
            ])
        return true
    }
}
