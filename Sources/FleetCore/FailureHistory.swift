/// Recent failures (an incident opening or relapsing) per device, for `repeated-failure`: the
/// `repeat_failures`-th inside `repeat_window_s` makes it P1. Kept only for devices that failed.
struct FailureHistory {
    /// Wall times of each device's failures inside the window.
    private var failures: [String: [Double]] = [:]

    init(restored: [(String, Double)] = []) {
        for (device, at) in restored { failures[device, default: []].append(at) }
    }

    /// Records a failure; returns how many the device has had inside `window`, this one included.
    mutating func record(device: String, window: Double, at now: Double) -> Int {
        var times = failures[device] ?? []
        times.removeAll { now - $0 > window }
        times.append(now)
        failures[device] = times
        return times.count
    }

    func count(device: String) -> Int { failures[device]?.count ?? 0 }

    /// Forgets devices whose failures have all left the window.
    mutating func forgetExpired(window: Double, at now: Double) {
        guard !failures.isEmpty else { return }
        failures = failures.filter { $0.value.contains { now - $0 <= window } }
    }
}
