/// Decides which heartbeats become history samples (SPEC §12): at least one per device per
/// `history_interval_s`. The hot path asks one question per heartbeat, "is this device's sample
/// due?", answered from a 4-byte deadline per device; only a due heartbeat builds a sample, into a
/// buffer the daemon takes each pass and writes in batches. With history off (`history_days = 0`)
/// nothing is allocated and the question is one flag.
struct HistorySampler {
    /// A sample is taken at the first heartbeat at or after this, in tenths of a second after
    /// `epoch` (monotonic), per device slot; empty while history is off.
    private var nextDue: [UInt32] = []
    private let epoch: Double
    private(set) var enabled: Bool
    private var interval: Double
    /// Samples not yet taken by the daemon, oldest first.
    private var buffer: [HistorySample] = []
    /// Samples dropped because the buffer was full (the daemon stopped taking them).
    private(set) var dropped = 0
    /// More than this waiting means the database has not been written for a long time: the
    /// oldest go (history is not worth unbounded memory).
    static let bufferLimit = 200_000
    /// Metric names longer than this are not kept in history (a bad device must not fill the
    /// name table).
    static let maxMetricNameBytes = 64

    init(storage: StorageSettings, devices: Int = 0, at now: Moment) {
        epoch = now.monotonic
        enabled = storage.historyEnabled
        interval = storage.historyIntervalSeconds
        if enabled { nextDue = Array(repeating: 0, count: devices) }
    }

    /// A device was registered (in a new slot, or a forgotten device's): its first heartbeat is sampled.
    mutating func added(_ slot: DeviceSlot) {
        guard enabled else { return }
        let i = Int(slot)
        if i < nextDue.count {
            nextDue[i] = 0
            return
        }
        precondition(i == nextDue.count, "devices are added in slot order")
        nextDue.append(0)
    }

    /// A forgotten device: its slot's next device is sampled at its first heartbeat.
    mutating func forget(_ slot: DeviceSlot) {
        if Int(slot) < nextDue.count { nextDue[Int(slot)] = 0 }
    }

    /// A reload may turn history on or off or change the interval; devices keep their deadlines.
    mutating func configure(_ storage: StorageSettings, devices: Int) {
        enabled = storage.historyEnabled
        interval = storage.historyIntervalSeconds
        if !enabled {
            nextDue = []
            buffer = []
        } else if nextDue.count < devices {
            nextDue.append(contentsOf: repeatElement(0, count: devices - nextDue.count))
        }
    }

    /// A heartbeat: a sample when one is due. `heartbeatInterval` is how often the device is
    /// expected to send; the next sample is due early enough (a quarter heartbeat to spare) that
    /// the next sample falls within `history_interval_s`.
    mutating func heard(
        _ slot: DeviceSlot, _ beat: Heartbeat, device: @autoclosure () -> String,
        heartbeatInterval: () -> Double, at now: Moment
    ) {
        guard enabled, !beat.metrics.isEmpty else { return }
        let tick = Self.ticks(now.monotonic - epoch)
        let i = Int(slot)
        guard tick >= nextDue[i] else { return }
        var values: [HistorySample.Value] = []
        values.reserveCapacity(beat.metrics.count)
        for metric in beat.metrics where metric.name.utf8.count <= Self.maxMetricNameBytes {
            switch metric.value {
            case .number(let n) where n.isFinite: values.append(.init(metric: metric.name, value: n))
            case .bool(let b): values.append(.init(metric: metric.name, value: b ? 1 : 0))
            default: break
            }
        }
        guard !values.isEmpty else { return }
        let wait = max(0, interval - 1.25 * heartbeatInterval())
        nextDue[i] = tick &+ Self.ticks(wait)
        if buffer.count >= Self.bufferLimit {
            buffer.removeFirst(buffer.count / 10)
            dropped += Self.bufferLimit / 10
        }
        buffer.append(HistorySample(device: device(), time: now.wall, values: values))
    }

    /// Every sample taken since the last call, oldest first.
    mutating func take() -> [HistorySample] {
        guard !buffer.isEmpty else { return [] }
        // The caller keeps the buffer: keeping its capacity here would allocate a copy of it.
        defer { buffer = [] }
        return buffer
    }

    static func ticks(_ seconds: Double) -> UInt32 { UInt32(clamping: Int64((max(0, seconds) * 10).rounded(.down))) }
}
