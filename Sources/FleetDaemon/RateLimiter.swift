/// Lets through at most `burst` events per `period` seconds and counts what it held back, so a
/// flood of bad input cannot fill the disk with log lines.
struct RateLimiter {
    let burst: Int
    let period: Double
    private var windowStart = -Double.infinity
    private var used = 0
    private(set) var suppressed = 0

    init(burst: Int = 10, period: Double = 10) {
        self.burst = burst
        self.period = period
    }

    /// Returns the number suppressed since the last allowed event when this one may be logged.
    mutating func allow(at now: Double) -> Int? {
        if now - windowStart >= period {
            windowStart = now
            used = 0
        }
        guard used < burst else {
            suppressed += 1
            return nil
        }
        used += 1
        defer { suppressed = 0 }
        return suppressed
    }
}
