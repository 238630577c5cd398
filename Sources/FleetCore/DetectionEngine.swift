/// The health state machine of the whole fleet. It is fed events with the moment they happened
/// (heartbeats, status messages, broker connection changes, clock ticks) and returns effects; it
/// never reads a clock, sleeps, logs or touches storage, so tests drive it with made-up times.
public struct DetectionEngine {
    /// A gap between ticks longer than this means the daemon itself was stalled (SIGSTOP, a
    /// suspended VM): it saw nothing meanwhile, so everybody gets a new grace period.
    public static let stallThreshold = 5.0

    struct TrackedDevice {
        var record: DeviceRecord
        /// Monotonic receive time of the last heartbeat; nil when not heard since this start.
        var lastSeenMonotonic: Double?
        /// The device's own `interval_s`, overriding its kind's.
        var intervalOverride: Double?
        var timeout: Double
        /// The health the last heartbeat reported.
        var health = Heartbeat.Health.ok
        /// An entry for this device is in the deadline heap.
        var armed = false
        var lastSeenDirty = false
    }

    public internal(set) var configuration: Configuration
    var calendar: ServiceCalendar
    var timeFormat: TimeFormat
    var devices: [TrackedDevice] = []
    var indexByID: [String: Int32] = [:]
    var deadlines = DeadlineHeap()
    var unresolved: [IncidentKey: Incident] = [:]
    /// Unresolved incidents whose condition is clear, and since when (monotonic).
    var clearSince: [IncidentKey: Double] = [:]
    var nextIncidentID: Int64
    var effects: [EngineEffect] = []
    var dirtyLastSeen: [Int32] = []

    public private(set) var brokerConnected = false
    /// Monotonic instant before which no device is declared offline by timeout.
    public private(set) var graceEnd = -Double.infinity
    var lastTick: Double?

    public init(configuration: Configuration, restored: RestoredState = RestoredState(), at now: Moment) {
        self.configuration = configuration
        self.calendar = ServiceCalendar(configuration.sla)
        self.timeFormat = TimeFormat(zoneIdentifier: configuration.sla.timezone)
        self.nextIncidentID = restored.nextIncidentID
        for record in restored.devices { _ = insert(record) }
        for incident in restored.unresolvedIncidents {
            unresolved[incident.key] = incident
            nextIncidentID = max(nextIncidentID, incident.id + 1)
        }
        applyInventory(at: now)
        reconcileRestoredIncidents(at: now)
        lastTick = now.monotonic
    }

    // MARK: broker and clock

    /// Subscribed again: everyone gets `startup_grace_s` before a timeout can count.
    public mutating func brokerDidConnect(at now: Moment) -> [EngineEffect] {
        brokerConnected = true
        graceEnd = max(graceEnd, now.monotonic + configuration.detection.startupGraceSeconds)
        return takeEffects()
    }

    /// Blind from now on: nobody goes offline by timeout until reconnect plus grace.
    public mutating func brokerDidDisconnect(at now: Moment) -> [EngineEffect] {
        brokerConnected = false
        return takeEffects()
    }

    /// Drives every deadline. Called by the daemon's loop several times a second.
    public mutating func tick(at now: Moment) -> [EngineEffect] {
        if let last = lastTick, now.monotonic - last > Self.stallThreshold {
            graceEnd = max(graceEnd, now.monotonic + configuration.detection.startupGraceSeconds)
        }
        lastTick = now.monotonic
        guard brokerConnected else { return takeEffects() }
        expireDeadlines(at: now)
        resolveClearedIncidents(at: now)
        return takeEffects()
    }

    /// True when the last tick was so long ago that the daemon must have been stalled.
    public func isStalled(at now: Moment) -> Bool {
        guard let last = lastTick else { return false }
        return now.monotonic - last > Self.stallThreshold
    }

    mutating func takeEffects() -> [EngineEffect] {
        guard !effects.isEmpty else { return [] }
        defer { effects.removeAll(keepingCapacity: true) }
        return effects
    }

    // MARK: reading

    public var deviceCount: Int { devices.count }
    public var unresolvedIncidents: [Incident] { Array(unresolved.values) }

    public func device(_ id: String) -> DeviceRecord? { indexByID[id].map { devices[Int($0)].record } }

    public func stateCounts() -> [DeviceState: Int] {
        var counts: [DeviceState: Int] = [:]
        for d in devices { counts[d.record.state, default: 0] += 1 }
        return counts
    }

    public func openIncidentCounts() -> [Priority: Int] {
        var counts: [Priority: Int] = [:]
        for i in unresolved.values { counts[i.priority, default: 0] += 1 }
        return counts
    }

    /// (id, last seen) of devices heard since the previous call, for a batched flush.
    public mutating func takeLastSeenUpdates() -> [(String, Double)] {
        defer { dirtyLastSeen.removeAll(keepingCapacity: true) }
        return dirtyLastSeen.compactMap { index in
            devices[Int(index)].lastSeenDirty = false
            let record = devices[Int(index)].record
            return record.lastSeen.map { (record.id, $0) }
        }
    }
}
