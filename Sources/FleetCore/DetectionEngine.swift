/// The health state machine of the whole fleet. It is fed events with the moment they happened
/// (heartbeats, status messages, broker connection changes, clock ticks) and returns effects; it
/// never reads a clock, sleeps, logs or touches storage, so tests drive it with made-up times.
public struct DetectionEngine {
    /// A gap between ticks longer than this means the daemon itself was stalled (SIGSTOP, a
    /// suspended VM): it saw nothing meanwhile, so everybody gets a new grace period.
    public static let stallThreshold = 5.0
    /// How long an `offline` status waits for our own connection to prove it was not the broker
    /// shutting down (see `statusReceived`).
    public static let statusConfirmDelay = 0.5

    /// Where a metric rule stands for one device.
    enum RuleState: Equatable {
        case idle
        case pending(since: Double)
        case firing
    }

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
        /// The kind's metric rules (shared storage), so a heartbeat needs no kind lookup.
        var rules: [MetricRule] = []
        /// One per rule of the device's kind, created on first use.
        var ruleStates: [RuleState] = []
        /// Monotonic times of the latest state changes (at most `flap_changes`).
        var stateChanges: [Double] = []
        var flapping = false
        /// Wall times of recent failures (opens and relapses), for `repeated-failure`.
        var failures: [Double] = []
        /// No offline by timeout before this (monotonic): set when a maintenance window ends.
        var offlineNotBefore = -Double.infinity
    }

    /// Devices and offline devices in one group (a site, a site's core kind, the fleet).
    struct OfflineCount {
        var total = 0
        var offline = 0
    }

    public internal(set) var configuration: Configuration
    /// Rebuilt on reload; the daemon hands the same value to the alert log.
    public internal(set) var localTime: LocalTime
    var calendar: ServiceCalendar { localTime.serviceCalendar }
    var timeFormat: TimeFormat { localTime.format }
    var devices: [TrackedDevice] = []
    var deviceIndex = DeviceIndex()
    var deadlines = DeadlineHeap()
    var unresolved: [IncidentKey: Incident] = [:]
    /// Unresolved incidents whose condition is clear, and since when (monotonic).
    var clearSince: [IncidentKey: Double] = [:]
    /// Incidents waiting `group_wait_s` before their OPEN line, and until when (monotonic).
    var awaitingAnnouncement: [IncidentKey: Double] = [:]
    var flappingDevices: Set<Int32> = []
    /// Devices reported offline by status, and when that takes effect (monotonic).
    var offlineStatuses: [Int32: Double] = [:]
    var maintenance: [MaintenanceWindow] = []
    var inMaintenance: Set<Int32> = []
    var nextMaintenanceID: Int64 = 1
    /// Monotonic time of the last once-a-second pass (SLA deadlines, maintenance windows).
    var lastSlowTick = -Double.infinity
    var siteCounts: [String: OfflineCount] = [:]
    var coreCounts: [String: OfflineCount] = [:]
    var fleetCount = OfflineCount()
    var nextIncidentID: Int64
    var effects: [EngineEffect] = []
    var dirtyLastSeen: [Int32] = []

    public internal(set) var brokerConnected = false
    /// Monotonic instant the broker connection was lost (or the daemon started without one).
    var disconnectedSince: Double?
    public internal(set) var storageFailing = false
    /// Monotonic instant before which no device is declared offline by timeout.
    public private(set) var graceEnd = -Double.infinity
    var lastTick: Double?

    public init(configuration: Configuration, restored: RestoredState = RestoredState(), at now: Moment) {
        self.configuration = configuration
        self.localTime = LocalTime(configuration.sla)
        self.nextIncidentID = restored.nextIncidentID
        for record in restored.devices { _ = insert(record) }
        for incident in restored.unresolvedIncidents {
            unresolved[incident.key] = incident
            nextIncidentID = max(nextIncidentID, incident.id + 1)
            if !incident.announced && incident.parent == nil {
                awaitingAnnouncement[incident.key] = now.monotonic
            }
        }
        for (device, openedAt) in restored.recentFailures {
            if let index = index(ofDevice: device) { devices[Int(index)].failures.append(openedAt) }
        }
        disconnectedSince = now.monotonic
        maintenance = restored.maintenance
        nextMaintenanceID = restored.nextMaintenanceID
        for (i, d) in devices.enumerated() where d.record.state == .maintenance { inMaintenance.insert(Int32(i)) }
        applyInventory(at: now)
        reconcileRestoredIncidents(at: now)
        lastTick = now.monotonic
    }

    // MARK: broker and clock

    /// Subscribed again: everyone gets `startup_grace_s` before a timeout can count.
    public mutating func brokerDidConnect(at now: Moment) -> [EngineEffect] {
        brokerConnected = true
        disconnectedSince = nil
        graceEnd = max(graceEnd, now.monotonic + configuration.detection.startupGraceSeconds)
        clear(IncidentKey(rule: "broker-unreachable", scope: .collector), at: now)
        return takeEffects()
    }

    /// Blind from now on: nobody goes offline by timeout until reconnect plus grace.
    public mutating func brokerDidDisconnect(at now: Moment) -> [EngineEffect] {
        if brokerConnected || disconnectedSince == nil { disconnectedSince = now.monotonic }
        brokerConnected = false
        offlineStatuses.removeAll()
        return takeEffects()
    }

    /// Drives every deadline. Called by the daemon's loop several times a second.
    public mutating func tick(at now: Moment) -> [EngineEffect] {
        if let last = lastTick, now.monotonic - last > Self.stallThreshold {
            graceEnd = max(graceEnd, now.monotonic + configuration.detection.startupGraceSeconds)
        }
        lastTick = now.monotonic
        checkBrokerUnreachable(at: now)
        if brokerConnected {
            applyConfirmedOfflineStatuses(at: now)
            expireDeadlines(at: now)
        }
        endStableFlapping(at: now)
        resolveClearedIncidents(at: now)
        announceAfterGroupWait(at: now)
        if now.monotonic - lastSlowTick >= 1 {
            lastSlowTick = now.monotonic
            applyMaintenance(at: now)
            checkDeadlines(at: now)
        }
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
}
