/// Flapping: `flap_changes` state changes of one device within `flap_window_s`. A flapping device
/// keeps its incident open, marked, with one FLAPPING line and no churn, until it has been stable
/// for a whole window. Histories are kept only for devices that changed state recently.
struct FlapDetector {
    /// Monotonic times of each device's latest state changes (at most `limit`).
    private var changes: [DeviceSlot: [Double]] = [:]
    private(set) var flapping: Set<DeviceSlot> = []
    private var limit: Int
    private var window: Double

    init(_ detection: DetectionSettings) {
        limit = detection.flapChanges
        window = detection.flapWindowSeconds
    }

    mutating func configure(_ detection: DetectionSettings) {
        limit = detection.flapChanges
        window = detection.flapWindowSeconds
    }

    func isFlapping(_ slot: DeviceSlot) -> Bool { !flapping.isEmpty && flapping.contains(slot) }

    /// Counts a state change; true when it makes the device flapping.
    mutating func record(_ slot: DeviceSlot, at now: Double) -> Bool {
        var times = changes[slot] ?? []
        times.append(now)
        if times.count > limit { times.removeFirst(times.count - limit) }
        changes[slot] = times
        guard !flapping.contains(slot), times.count >= limit, now - times[0] <= window else { return false }
        flapping.insert(slot)
        return true
    }

    /// Devices that have been stable a whole window since their last change: no longer flapping.
    mutating func takeCalmed(at now: Double) -> [DeviceSlot] {
        var calmed: [DeviceSlot] = []
        for slot in flapping {
            guard let last = changes[slot]?.last, now - last >= window else { continue }
            calmed.append(slot)
        }
        for slot in calmed {
            flapping.remove(slot)
            changes[slot] = nil
        }
        return calmed
    }

    /// A forgotten device: its slot may soon be another device's.
    mutating func forget(_ slot: DeviceSlot) {
        changes[slot] = nil
        flapping.remove(slot)
    }

    /// Drops the histories of devices not flapping whose newest change is a window old: they can
    /// no longer make anyone flap (`limit` ≥ 2 changes are needed inside one window).
    mutating func forgetStale(at now: Double) {
        guard !changes.isEmpty else { return }
        changes = changes.filter { flapping.contains($0.key) || now - ($0.value.last ?? now) < window }
    }
}
