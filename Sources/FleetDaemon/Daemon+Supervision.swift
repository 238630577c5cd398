import FleetCore
import FleetConfig
import Foundation

/// What the daemon tells its supervisors: systemd (READY, STATUS, WATCHDOG) and Prometheus.
extension Daemon {
    /// The watchdog is pinged from the loop that does the work, so a stuck engine stops the
    /// pings and systemd restarts us.
    func pingWatchdog(at now: Moment) {
        guard let interval = notifier.watchdogInterval, now.monotonic - lastWatchdogPing >= interval else { return }
        lastWatchdogPing = now.monotonic
        notifier.watchdog()
    }

    /// READY=1 once: config loaded, database open, and now subscribed.
    func markReady() {
        guard !readySent else { return }
        readySent = true
        notifier.ready()
        logger.info("ready")
    }

    func publishHealth(at now: Moment) {
        health.accepted = counters.accepted
        health.rejected = counters.rejectedByName
        health.devices = engine.stateCounts()
        health.openIncidents = engine.openIncidentCounts()
        health.brokerConnected = engine.brokerConnected
        health.brokerDownTooLong = (engine.brokerDownFor(at: now) ?? 0) >= configuration.detection.brokerDownP1AfterSeconds
        health.databaseFailing = databaseFailing
        health.clockSkewedDevices = engine.clockSkewedDevices
        health.startedAt = startedAt
        board.publish(health)
        let open = health.openIncidents.values.reduce(0, +)
        notifier.status("\(engine.deviceCount) devices, \(open) open incidents, broker \(engine.brokerConnected ? "connected" : "disconnected")")
    }

    func startMetricsServer() throws {
        guard !configuration.metrics.listen.isEmpty else { return }
        // The loader accepts only addresses the server can bind (IPv4 or localhost).
        guard let address = ListenAddress(configuration.metrics.listen) else {
            throw DaemonError("metrics.listen: \(configuration.metrics.listen) is not HOST:PORT")
        }
        let server = MetricsServer(host: address.host, port: address.port, board: board)
        try server.start()
        metricsServer = server
    }

    /// A test hook (only with FLEETWATCH_DEBUG_HOOKS=1): SIGUSR2 makes the engine loop hang, so
    /// tests can see the watchdog pings stop.
    func debugHang() {
        guard ProcessInfo.processInfo.environment["FLEETWATCH_DEBUG_HOOKS"] == "1" else { return }
        logger.warning("debug hook: engine loop hangs now (SIGUSR2)")
        Thread.sleep(forTimeInterval: 3600)
    }
}
