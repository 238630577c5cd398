/// What the registry keeps per device: the stored record in compact form and the liveness fields
/// the offline rule needs. Kept small on purpose (100,000 devices is the design size); state that
/// only some devices need lives in side tables of the part that owns it (rule states, flap
/// histories, failures, the registry's names).
///
/// 88 bytes a device (`MemoryLayout<TrackedDevice>.stride`, checked by a test; was 136 with a
/// whole `DeviceRecord` inside, 168 before that): the id is a span of the registry's
/// `DeviceIdArena`, site and kind are indices into its string tables, the name (inventory
/// devices only) is in a side table; the one-byte fields share the last word, and the optional
/// times are NaN when absent, instead of `Optional<Double>`'s 9 bytes padded to 16.
/// `DeviceRegistry.record(_:)` puts a `DeviceRecord` together when one is needed.
struct TrackedDevice {
    var stateSince: Double
    /// Offline after this long without a heartbeat (interval × missed).
    var timeout: Double
    /// No offline by timeout before this (monotonic): set when a maintenance window ends.
    var offlineNotBefore = -Double.infinity
    private var lastSeenOrNaN: Double
    private var lastSeenMonotonicOrNaN = Double.nan
    private var intervalOverrideOrNaN = Double.nan
    /// Firmware versions are short (inline in the `String`, no heap block) and may change with
    /// any heartbeat, so they are not interned: a device sending a new one every time must not
    /// grow a table.
    var firmware: String?
    var id: DeviceIdArena.Span
    /// Indices into the registry's site and kind tables.
    var site: UInt32
    var kind: UInt32
    var state: DeviceState
    /// The health the last heartbeat reported.
    var health = Heartbeat.Health.ok
    /// Listed in `[[devices]]`, as opposed to registered on its first heartbeat.
    var inventory: Bool
    /// The device's `ts` was off from receive time by more than `max_clock_skew_s` last time.
    var clockSkewed: Bool
    /// An entry for this device is in the deadline heap.
    var armed = false
    /// `lastSeen` changed since the last flush.
    var lastSeenDirty = false
    /// The device was forgotten (`detection.forget_after_s`): its slot is free for another.
    var forgotten = false

    /// `record`'s fields other than the id, site, kind and name, which the registry keeps.
    init(_ record: DeviceRecord, id: DeviceIdArena.Span, site: UInt32, kind: UInt32, timeout: Double) {
        self.id = id
        self.site = site
        self.kind = kind
        self.timeout = timeout
        stateSince = record.stateSince
        lastSeenOrNaN = record.lastSeen ?? .nan
        firmware = record.firmware
        state = record.state
        inventory = record.inventory
        clockSkewed = record.clockSkewed
    }

    /// Wall-clock time of the last heartbeat (stored as `last_seen`).
    var lastSeen: Double? {
        get { lastSeenOrNaN.isNaN ? nil : lastSeenOrNaN }
        set { lastSeenOrNaN = newValue ?? .nan }
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
