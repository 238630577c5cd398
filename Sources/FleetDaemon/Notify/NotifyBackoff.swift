/// When a failing channel tries again: 1 s after the first failure, doubling up to 5 minutes
/// (SPEC §14), and at once again after a success. Errors, timeouts and non-2xx answers all
/// count as failures. No jitter: one daemon, a handful of channels, nothing to spread out.
struct NotifyBackoff: Equatable {
    static let first = 1.0
    static let maximum = 300.0

    private(set) var failures = 0
    /// Monotonic time of the next attempt; nil while the channel is healthy.
    private(set) var retryAt: Double?

    /// The delay after `failures` failures in a row.
    static func delay(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        return min(maximum, first * Double(1 << min(failures - 1, 20)))
    }

    /// Another failure at `now`: returns the delay before the next attempt.
    @discardableResult
    mutating func failed(at now: Double) -> Double {
        failures += 1
        let delay = Self.delay(afterFailures: failures)
        retryAt = now + delay
        return delay
    }

    mutating func succeeded() {
        failures = 0
        retryAt = nil
    }

    func isWaiting(at now: Double) -> Bool { retryAt.map { now < $0 } ?? false }
}
