/// The times of recent reboots, kept only for devices that rebooted within the quality window
/// (most never do, so this costs nothing for them). `reboot-loop` counts them exactly: three
/// reboots within the window are three, however they are spread, which no decaying counter
/// says (three quick reboots would decay to just under three).
struct RebootLog {
    /// Monotonic times, oldest first, at most `maxKept` per device.
    private var times: [DeviceSlot: [Double]] = [:]
    /// More than any sensible `reboot_limit`: a device rebooting faster shows this many.
    static let maxKept = 1000

    var isEmpty: Bool { times.isEmpty }

    /// Records a reboot; returns how many the device had within `window`, this one included.
    mutating func record(_ slot: DeviceSlot, at now: Double, window: Double) -> Int {
        var list = times[slot] ?? []
        list.removeAll { now - $0 >= window }
        list.append(now)
        if list.count > Self.maxKept { list.removeFirst(list.count - Self.maxKept) }
        times[slot] = list
        return list.count
    }

    /// Reboots within `window` before `now`.
    func count(_ slot: DeviceSlot, at now: Double, window: Double) -> Int {
        guard !times.isEmpty, let list = times[slot] else { return 0 }
        return list.reduce(0) { $0 + (now - $1 < window ? 1 : 0) }
    }

    /// A forgotten device.
    mutating func forget(_ slot: DeviceSlot) {
        if !times.isEmpty { times[slot] = nil }
    }

    /// Once a second: devices whose reboots all left the window are forgotten.
    mutating func forgetOld(at now: Double, window: Double) {
        guard !times.isEmpty else { return }
        times = times.filter { $0.value.contains { now - $0 < window } }
    }
}
