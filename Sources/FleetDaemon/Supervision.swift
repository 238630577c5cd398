import FleetCore
import FleetStore
import Logging

/// What the daemon tells its supervisors: systemd (READY, STATUS, WATCHDOG) and the metrics
/// endpoint (a snapshot published about once a second); and what they tell it, by signal. And
/// how the process looks after itself: its loop's passes timed (a slow one is logged for the
/// operator) and its heap given back after a burst.
struct Supervision {
    let notifier: SystemdNotifier
    /// SIGTERM, SIGHUP and the others, turned into inbox controls.
    let signals = SignalForwarder()
    let board: HealthBoard
    let startedAt: Double
    private let logger: Logger
    private(set) var readySent = false
    private var lastWatchdogPing = -Double.infinity
    /// The next snapshot, filled in by the loop as it goes.
    var health = HealthSnapshot()
    /// Each pass's stages timed; a slow pass is logged with the stage that made it slow.
    var passes = PassTimer()
    /// Gives free heap memory back to the kernel after a burst of registrations.
    var heap = HeapTrimmer()

    init(notifier: SystemdNotifier, board: HealthBoard, startedAt: Double, logger: Logger) {
        self.notifier = notifier
        self.board = board
        self.startedAt = startedAt
        self.logger = logger
    }

    /// The watchdog is pinged from the loop that does the work, so a stuck engine stops the
    /// pings and systemd restarts us.
    mutating func pingWatchdog(at now: Moment) {
        guard let interval = notifier.watchdogInterval, now.monotonic - lastWatchdogPing >= interval else { return }
        lastWatchdogPing = now.monotonic
        notifier.watchdog()
    }

    /// READY=1 once: config loaded, database open, and now subscribed.
    mutating func markReady() {
        guard !readySent else { return }
        readySent = true
        notifier.ready()
        logger.info("ready")
    }

    func reloading() { notifier.reloading() }

    /// After a reload: READY=1 again, if it had been sent before.
    func reloaded() { if readySent { notifier.ready() } }

    func stopping() { notifier.stopping() }

    /// Publishes the snapshot for /metrics and /healthz and tells systemd a one-line status.
    mutating func publish(
        engine: DetectionEngine, counters: IngestCounters, writes: Persistence.Stats,
        history: HistoryWriter, databaseFailing: Bool, brokerDownP1After: Double,
        role: NodeRole = .single, at now: Moment
    ) {
        health.role = role.rawValue
        health.accepted = counters.accepted
        health.rejected = counters.rejectedByName
        health.devices = engine.stateCounts()
        health.openIncidents = engine.openIncidentCounts()
        health.brokerConnected = engine.brokerConnected
        health.brokerDownTooLong = (engine.brokerDownFor(at: now) ?? 0) >= brokerDownP1After
        health.databaseFailing = databaseFailing
        health.alertLogWriteErrors = writes.alertLogWriteErrors
        health.flushSeconds = writes.lastFlushSeconds
        health.flushSecondsSum = writes.flushSecondsSum
        health.flushCount = writes.flushCount
        health.clockSkewedDevices = engine.clockSkewedDevices
        health.forgottenDevices = engine.forgottenDevices
        health.link = engine.linkTotals
        health.devicesWithDataLoss = engine.devicesWithDataLoss
        health.broker = engine.brokerStats
        health.startedAt = startedAt
        health.forecastsOpen = engine.openForecastCount
        health.forecastTracks = engine.forecastTracks
        health.historySamplesWritten = history.stats.samplesWritten
        health.historyPending = history.pending
        health.historyDropped = engine.historySamplesDropped
        health.historyWriteErrors = history.stats.writeErrors
        board.publish(health)
        let open = health.openIncidents.values.reduce(0, +)
        notifier.status(
            (role == .single ? "" : "\(role.rawValue): ")
                + "\(engine.deviceCount) devices, \(open) open incidents, broker \(engine.brokerConnected ? "connected" : "disconnected")"
        )
    }
}
