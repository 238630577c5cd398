import Foundation

/// Polls `condition` until it holds or `timeout` passes: tests wait for outcomes, not fixed sleeps.
func waitUntil(_ timeout: Double, interval: Double = 0.1, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}

/// The wait before a negative check ("nothing happened"): it must last past the moment the thing
/// would have happened if the behaviour were broken, so `reason` says which moment that is.
/// A check right after a short sleep passes when the daemon is merely slow.
func waitPast(_ seconds: Double, _ reason: String) {
    Thread.sleep(forTimeInterval: seconds)
}

/// Seconds on the monotonic clock, for measuring how long something took.
func monotonicSeconds() -> Double { ProcessInfo.processInfo.systemUptime }
