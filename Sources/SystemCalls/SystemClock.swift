import Glibc

/// The two clocks: monotonic for durations and deadlines, real time for what is shown and stored.
public enum SystemClock {
    public static func monotonicSeconds() -> Double { seconds(CLOCK_MONOTONIC) }
    public static func realtimeSeconds() -> Double { seconds(CLOCK_REALTIME) }

    private static func seconds(_ clock: clockid_t) -> Double {
        var now = timespec()
        // Fails only for an unknown clock or a bad pointer (EINVAL, EFAULT): neither can happen here.
        let rc = clock_gettime(clock, &now)
        precondition(rc == 0, "clock_gettime(\(clock)) failed: errno \(errno)")
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
