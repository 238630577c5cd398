import FleetCore

/// What the metrics endpoint serves, published by the engine loop about once a second and read
/// by the HTTP thread: the loop never waits for a scrape.
struct HealthSnapshot: Sendable {
    var accepted = 0
    var rejected: [String: Int] = [:]
    var devices: [DeviceState: Int] = [:]
    var openIncidents: [Priority: Int] = [:]
    var brokerConnected = false
    var brokerDownTooLong = false
    var databaseFailing = false
    var alertLogWriteErrors = 0
    var ingestLagSeconds = 0.0
    var flushSeconds = 0.0
    var flushSecondsSum = 0.0
    var flushCount = 0
    var clockSkewedDevices = 0
    var forgottenDevices = 0
    var link = LinkTotals()
    var devicesWithDataLoss = 0
    var broker = BrokerStats()
    var startedAt = 0.0
    /// What this node is to its database (SPEC §15), and its name.
    var role = "single"
    var node = ""
    var forecastsOpen = 0
    var forecastTracks = 0
    var historySamplesWritten = 0
    var historyPending = 0
    var historyDropped = 0
    var historyWriteErrors = 0

    var healthy: Bool { !brokerDownTooLong && !databaseFailing }

    /// Prometheus text exposition format 0.0.4.
    func prometheusText() -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("fleetwatch_messages_total", "counter", "MQTT messages by result and rejection reason.")
        out += "fleetwatch_messages_total{result=\"accepted\"} \(accepted)\n"
        for reason in RejectReason.allCases {
            out +=
                "fleetwatch_messages_total{result=\"rejected\",reason=\"\(reason.rawValue)\"} \(rejected[reason.rawValue] ?? 0)\n"
        }
        family("fleetwatch_devices", "gauge", "Devices by state.")
        for state in DeviceState.allCases {
            out += "fleetwatch_devices{state=\"\(state.rawValue)\"} \(devices[state] ?? 0)\n"
        }
        family("fleetwatch_open_incidents", "gauge", "Unresolved incidents by priority.")
        for p in Priority.allCases {
            out += "fleetwatch_open_incidents{priority=\"\(p.rawValue)\"} \(openIncidents[p] ?? 0)\n"
        }
        family("fleetwatch_broker_connected", "gauge", "1 while subscribed to the broker.")
        out += "fleetwatch_broker_connected \(brokerConnected ? 1 : 0)\n"
        family(
            "fleetwatch_ingest_lag_seconds", "gauge",
            "How long the oldest message of the last batch waited before the engine took it.")
        out += "fleetwatch_ingest_lag_seconds \(ingestLagSeconds)\n"
        family("fleetwatch_db_flush_seconds", "summary", "Duration of database commits.")
        out += "fleetwatch_db_flush_seconds_sum \(flushSecondsSum)\nfleetwatch_db_flush_seconds_count \(flushCount)\n"
        family("fleetwatch_db_last_flush_seconds", "gauge", "Duration of the last database commit.")
        out += "fleetwatch_db_last_flush_seconds \(flushSeconds)\n"
        family("fleetwatch_db_write_failing", "gauge", "1 while the database cannot be written.")
        out += "fleetwatch_db_write_failing \(databaseFailing ? 1 : 0)\n"
        family("fleetwatch_alert_log_write_errors_total", "counter", "Failed alert-log writes.")
        out += "fleetwatch_alert_log_write_errors_total \(alertLogWriteErrors)\n"
        family("fleetwatch_clock_skewed_devices", "gauge", "Devices whose ts is off by more than max_clock_skew_s.")
        out += "fleetwatch_clock_skewed_devices \(clockSkewedDevices)\n"
        family(
            "fleetwatch_devices_forgotten_total", "counter",
            "Auto-registered devices forgotten after detection.forget_after_s without a heartbeat.")
        out += "fleetwatch_devices_forgotten_total \(forgottenDevices)\n"
        family("fleetwatch_heartbeats_lost_total", "counter", "Heartbeats missing from seq gaps, all devices.")
        out += "fleetwatch_heartbeats_lost_total \(link.lost)\n"
        family("fleetwatch_device_reboots_total", "counter", "Device reboots seen (uptime_s or seq), all devices.")
        out += "fleetwatch_device_reboots_total \(link.reboots)\n"
        family("fleetwatch_duplicate_heartbeats_total", "counter", "Heartbeats whose seq repeated the previous one.")
        out += "fleetwatch_duplicate_heartbeats_total \(link.duplicates)\n"
        family("fleetwatch_devices_with_data_loss", "gauge", "Devices whose loss_ratio holds the data-loss condition.")
        out += "fleetwatch_devices_with_data_loss \(devicesWithDataLoss)\n"
        if let n = broker.clientsConnected {
            family("fleetwatch_broker_clients_connected", "gauge", "Clients connected to the broker ($SYS).")
            out += "fleetwatch_broker_clients_connected \(n)\n"
        }
        if let n = broker.messagesDropped {
            family(
                "fleetwatch_broker_messages_dropped_total", "counter",
                "Messages the broker dropped since it started ($SYS).")
            out += "fleetwatch_broker_messages_dropped_total \(n)\n"
        }
        if let n = broker.uptimeSeconds {
            family("fleetwatch_broker_uptime_seconds", "gauge", "Seconds since the broker started ($SYS).")
            out += "fleetwatch_broker_uptime_seconds \(n)\n"
        }
        family("fleetwatch_forecasts_open", "gauge", "Unresolved forecast incidents.")
        out += "fleetwatch_forecasts_open \(forecastsOpen)\n"
        family("fleetwatch_forecast_tracks", "gauge", "Forecasts whose metric moved (device × forecast).")
        out += "fleetwatch_forecast_tracks \(forecastTracks)\n"
        family("fleetwatch_history_samples_total", "counter", "History samples written to the database.")
        out += "fleetwatch_history_samples_total \(historySamplesWritten)\n"
        family("fleetwatch_history_pending", "gauge", "History samples taken and not yet written.")
        out += "fleetwatch_history_pending \(historyPending)\n"
        family("fleetwatch_history_dropped_total", "counter", "History samples dropped (database unwritable).")
        out += "fleetwatch_history_dropped_total \(historyDropped)\n"
        family("fleetwatch_history_write_errors_total", "counter", "Failed history writes (retried).")
        out += "fleetwatch_history_write_errors_total \(historyWriteErrors)\n"
        family("fleetwatch_start_time_seconds", "gauge", "Unix time the daemon started.")
        out += "fleetwatch_start_time_seconds \(startedAt)\n"
        family("fleetwatch_node_role", "gauge", "1 for this node's role: active, standby or single (SPEC §15).")
        for role in ["active", "standby", "single"] {
            out += "fleetwatch_node_role{role=\"\(role)\"} \(role == self.role ? 1 : 0)\n"
        }
        return out
    }
}
