/// What the registry keeps per device: the stored record and the liveness fields the offline rule
/// needs. Kept small on purpose (100,000 devices is the design size); state that only some devices
/// need lives in side tables of the part that owns it (rule states, flap histories, failures).
///
/// 136 bytes a device (`MemoryLayout<TrackedDevice>.stride`, checked by a test; was 168): the
/// one-byte fields sit in the last word of `record`, and the two optional times are NaN when
/// absent, instead of `Optional<Double>`'s 9 bytes padded to 16.
struct TrackedDevice {
    var record: DeviceRecord
    /// The health the last heartbeat reported.
    var health = Heartbeat.Health.ok
    /// An entry for this device is in the deadline heap.
    var armed = false
    /// `lastSeen` changed since the last flush.
    var lastSeenDirty = false
    /// The device was forgotten (`detection.forget_after_s`): its slot is free for another.
    var forgotten = false
    /// Offline after this long without a heartbeat (interval × missed).
    var timeout: Double
    /// No offline by timeout before this (monotonic): set when a maintenance window ends.
    var offlineNotBefore = -Double.infinity
    private var lastSeenMonotonicOrNaN = Double.nan
    private var intervalOverrideOrNaN = Double.nan

    init(record: DeviceRecord, timeout: Double) {
        self.record = record
        self.timeout = timeout
    }

    /// Monotonic receive time of the last heartbeat; nil when not heard since this start.
    var lastSeenMonotonic: Double? {
        get { lastSeenMonotonicOrNaN.isNaN ? nil : lastSeenMonotonicOrNaN }
        set { lastSeenMonotonicOrNaN = newValue ?? .nan }
    }

    /// The device's own `interval_s`, overriding its kind's.
    var intervalOverride: Double? {
        get { intervalOverrideOrNaN.isNaN ? nil : intervalOverrideOrNaN }
        set { intervalOverrideOrNaN = newValue ?? .nan }
    }
}
