import FleetConfig
import FleetCore
import FleetStore
import Foundation
import Logging
import SystemCalls

/// The daemon runtime: builds its services in dependency order and runs them until SIGTERM or
/// SIGINT. Embeddable: `run()` blocks, and returns the process exit code.
///
/// Start order (stop is the reverse): control socket (first, so a second daemon on the same
/// files is refused before it touches anything) → database and alert log → WAL checkpointer
/// (SQLite) or the election (PostgreSQL: the active lock, SPEC §15) → notifier (reads what is
/// committed; stops after the engine loop's last commit) → history rollups (read-only; stop after
/// the loop's last history write) → engine loop (restore, replay lines a
/// crash left unwritten, signals) → HTTP server (metrics, status page, read API) → broker link
/// (last: messages arrive only once everything that handles them runs).
public final class Daemon {
    let configuration: Configuration
    let configPath: String?
    let logger: Logger

    public init(configuration: Configuration, configPath: String?, logger: Logger) {
        self.configuration = configuration
        self.configPath = configPath
        self.logger = logger
    }

    public func run() throws -> Int32 {
        do {
            try HeapMemory.mapLargeBlocksApart()
        } catch {
            // Only memory after a burst depends on it; the daemon works the same without.
            logger.warning("large buffers stay in the heap once freed", metadata: ["error": "\(error)"])
        }
        let now = Clock.now()
        let inbox = Inbox()
        let board = HealthBoard()
        let notifyBoard = NotifyBoard()
        let services = ServiceGroup(logger: logger)
        do {
            try SignalForwarder.ignoreWriteSignals()
            try services.start(ControlServer(path: configuration.control.socket, inbox: inbox, logger: logger))
            let store = try DaemonStore.open(configuration)
            let persistence = try Persistence.open(
                configuration.storage, store: store.writer, location: store.location,
                highlyAvailable: store.highlyAvailable, databaseCreated: store.created,
                logger: logger)
            if !store.highlyAvailable { try persistence.syncNotifyChannels(configuration.notify, at: now.wall) }
            let sessions = store.postgres.map { writer in
                NodeSessions(
                    node: store.node, writer: writer,
                    election: ElectionService(
                        target: store.target, node: store.node, inbox: inbox,
                        seeking: store.highlyAvailable, logger: logger),
                    highlyAvailable: store.highlyAvailable)
            }
            if case .sqlite(let path) = store.location {
                try services.start(WALCheckpointService(databasePath: path, logger: logger))
            }
            let notifier = Notifier(
                configuration: configuration, store: store.location, board: notifyBoard,
                active: !store.highlyAvailable, logger: logger)
            try services.start(notifier)
            let rollups = RollupHandoff(
                enabled: configuration.storage.historyEnabled, writing: store.initialRole != .standby)
            try services.start(HistoryRollupService(store: store.location, handoff: rollups, logger: logger))
            let broker = try BrokerLink(
                settings: configuration.mqtt, inbox: inbox,
                node: store.highlyAvailable ? store.node : nil, role: store.initialRole,
                logger: logger)
            let supervision = Supervision(
                notifier: try SystemdNotifier(logger: logger), board: board,
                startedAt: now.wall, logger: logger)
            let readSettings = try ReadSettingsBoard(configuration)
            let running = RunningConfiguration(configuration, path: configPath, readSettings: readSettings)
            let loop = try EngineLoop(
                configuration: running, inbox: inbox,
                broker: broker, persistence: persistence, supervision: supervision,
                notifier: notifier, rollups: rollups, role: store.initialRole,
                sessions: sessions, logger: logger, at: now)
            if let sessions {
                // A standby polls on the session it restored from; a single node has its lock already.
                if store.highlyAvailable { sessions.election.hand(sessions.writer.detach(because: "standing by")) }
                try services.start(sessions.election)
            }
            try services.startInForeground(loop)
            if let address = try metricsAddress() {
                let endpoints = ReadEndpoints(
                    health: board, notify: notifyBoard, settings: readSettings,
                    store: store.location, logger: logger)
                try services.start(HTTPServer(address: address, application: endpoints, logger: logger))
            }
            try services.start(broker)
            var metadata = loop.startupMetadata
            metadata["broker"] = "\(configuration.mqtt.host):\(configuration.mqtt.port)"
            metadata["store"] = "\(store.location)"
            if store.postgres != nil { metadata["node"] = "\(store.node)" }
            logger.info("started", metadata: metadata)
        } catch {
            services.stop()
            throw error
        }
        services.run()
        logger.info("stopped")
        return 0
    }

    /// What `--check-config` adds to the loader's checks about the store, each a `config: KEY
    /// REASON` line: a `postgres_url` libpq cannot parse (the form only; nothing connects).
    public static func storageProblems(_ configuration: Configuration) -> [String] {
        guard configuration.storage.backend == .postgres, !configuration.storage.postgresURL.isEmpty,
            let reason = PostgresTarget.problem(inURL: configuration.storage.postgresURL)
        else { return [] }
        return ["config: storage.postgres_url \(reason) (the value is not shown: it may hold a password)"]
    }

    /// nil when `metrics.listen` is "" (the endpoint is off).
    private func metricsAddress() throws -> IPv4SocketAddress? {
        guard !configuration.metrics.listen.isEmpty else { return nil }
        // The loader accepts only addresses the server can bind (IPv4 or localhost).
        guard let listen = ListenAddress(configuration.metrics.listen),
            let address = IPv4SocketAddress(host: listen.host, port: listen.port)
        else {
            throw DaemonError("metrics.listen: \(configuration.metrics.listen) is not an IPv4 HOST:PORT")
        }
        return address
    }
}
