import FleetCore
import FleetStore
import Foundation
import Glibc

extension Daemon {
    /// Ordered start: control socket → store → engine → alert log (replaying lines a crash left unwritten) →
    /// signals → broker.
    func start() throws {
        let now = Clock.now()
        startedAt = now.wall
        // First, so a second daemon on the same files is refused before it touches anything.
        control = ControlServer(path: configuration.control.socket, inbox: inbox)
        try control.start()
        let database = configuration.storage.database
        for (key, path) in [("storage.database", database), ("storage.alert_log", configuration.storage.alertLog)] {
            do {
                try createParentDirectory(of: path)
            } catch {
                throw DaemonError("\(key) \(path): cannot create its directory (\(Self.reason(error)))")
            }
        }
        do {
            store = try StoreWriter(path: database, checkpointsInBackground: true)
        } catch {
            throw DaemonError("storage.database \(database): \(error)")
        }
        checkpointer = WALCheckpointer(path: configuration.storage.database) { [logger] error in
            logger.error("WAL checkpoint failed (retried every second)", metadata: ["error": "\(error)"])
        }
        checkpointer.start()
        let restored = try store.restore(failuresSince: now.wall - configuration.escalation.repeatWindowSeconds)
        engine = DetectionEngine(configuration: configuration, restored: restored, at: now)
        pending.append(contentsOf: engine.takeStartupEffects())
        alertLog = AlertLog(path: configuration.storage.alertLog, format: configuration.storage.alertLogFormat)
        try alertLog.reopen()
        try replayUnannounced()
        flush(lastSeen: [], at: now)
        installSignalHandlers()
        try startMetricsServer()
        broker = try BrokerLink(settings: configuration.mqtt, inbox: inbox)
        try broker.start()
        writeStatus(at: now)
        logger.info("started", metadata: [
            "devices": "\(engine.deviceCount)", "unresolved_incidents": "\(restored.unresolvedIncidents.count)",
            "broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)",
        ])
    }

    /// Lines for events committed before a crash but never written.
    func replayUnannounced() throws {
        let committed = try store.unannouncedEvents()
        guard let last = committed.last else { return }
        let missing = alertLog.missing(from: committed, engine.localTime.format)
        for event in missing { try alertLog.write(event, engine.localTime.format) }
        try store.markAnnounced(through: last.sequence)
        if !missing.isEmpty { logger.notice("wrote alert lines left over from the last run", metadata: ["count": "\(missing.count)"]) }
    }

    /// Foundation's errors print as `Error Domain=NSCocoaErrorDomain Code=513 …`; the POSIX
    /// reason underneath is what an operator can act on.
    static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
        return (error as NSError).localizedDescription
    }

    func createParentDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Signals become inbox controls, handled on the loop like everything else.
    func installSignalHandlers() {
        for number in [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let inbox = self.inbox
            source.setEventHandler { inbox.post(.signal(number)) }
            source.resume()
            signalSources.append(source)
        }
        signal(SIGPIPE, SIG_IGN)
    }
}
