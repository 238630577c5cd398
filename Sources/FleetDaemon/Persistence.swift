import FleetCore
import FleetStore
import Logging
import SystemCalls

/// Carries out what `CommitThenAnnounce` decides against the real database and alert log, and
/// reports each outcome back to it. The engine is passed in for the storage-failure incident.
struct Persistence {
    /// What the metrics endpoint shows of the writes.
    struct Stats {
        var lastFlushSeconds = 0.0
        var flushSecondsSum = 0.0
        var flushCount = 0
        var alertLogWriteErrors = 0
        /// Events committed since start: the engine loop wakes the notifier when it grows.
        var eventsCommitted = 0
    }

    let store: StoreWriter
    let alertLog: AlertLog
    let databasePath: String
    private let logger: Logger
    private(set) var plan = CommitThenAnnounce()
    private(set) var stats = Stats()

    /// Creates the directories, opens (and migrates) the database and opens the alert log.
    static func open(_ storage: StorageSettings, logger: Logger) throws -> Persistence {
        for (key, path) in [("storage.database", storage.database), ("storage.alert_log", storage.alertLog)] {
            do {
                try FileSystem.createParentDirectory(of: path)
            } catch {
                throw DaemonError("\(key) \(path): cannot create its directory (\(error.reason))")
            }
        }
        let store: StoreWriter
        do {
            store = try StoreWriter(path: storage.database, checkpointsInBackground: true)
        } catch {
            throw DaemonError("storage.database \(storage.database): \(error)")
        }
        let alertLog = AlertLog(path: storage.alertLog, format: storage.alertLogFormat)
        try alertLog.reopen()
        return Persistence(store: store, alertLog: alertLog, databasePath: storage.database, logger: logger)
    }

    private init(store: StoreWriter, alertLog: AlertLog, databasePath: String, logger: Logger) {
        self.store = store
        self.alertLog = alertLog
        self.databasePath = databasePath
        self.logger = logger
    }

    var isDatabaseFailing: Bool { plan.isDatabaseFailing }

    mutating func add(_ effects: [EngineEffect]) {
        if !effects.isEmpty { plan.add(effects) }
    }

    /// Commits what is pending (and `lastSeen`), then writes the committed lines.
    mutating func flush(lastSeen: [(String, Double)], engine: inout DetectionEngine, at now: Moment) {
        perform(plan.flush(withLastSeen: !lastSeen.isEmpty), lastSeen: lastSeen, engine: &engine, at: now)
    }

    /// While the alert log fails: reopen it and write what it lacks.
    mutating func retryAlertLog(engine: inout DetectionEngine, at now: Moment) {
        perform(plan.retryDue(), lastSeen: [], engine: &engine, at: now)
    }

    /// At start: the lines of events committed before a crash but never written.
    func replayAtStart(_ time: TimeFormat) throws {
        let count = try replay(time)
        if count > 0 { logger.notice("wrote alert lines left over from the last run", metadata: ["count": "\(count)"]) }
    }

    private mutating func perform(_ first: [CommitThenAnnounce.Action], lastSeen: [(String, Double)],
                                  engine: inout DetectionEngine, at now: Moment) {
        var queue = first[...]
        while let action = queue.popFirst() {
            let next = perform(action, lastSeen: lastSeen, engine: &engine, at: now)
            if !next.isEmpty { queue = next[...] + queue }
        }
    }

    private mutating func perform(_ action: CommitThenAnnounce.Action, lastSeen: [(String, Double)],
                                  engine: inout DetectionEngine, at now: Moment) -> [CommitThenAnnounce.Action] {
        let time = engine.localTime.format
        switch action {
        case .commit(let effects):
            do {
                let started = SystemClock.monotonicSeconds()
                let events = try store.commit(effects, lastSeen: lastSeen)
                stats.eventsCommitted += events.count
                stats.lastFlushSeconds = SystemClock.monotonicSeconds() - started
                stats.flushSecondsSum += stats.lastFlushSeconds
                stats.flushCount += 1
                return plan.committed(events)
            } catch {
                return plan.commitFailed("\(error)")
            }
        case .announce(let events, let through):
            do {
                for event in events { try alertLog.write(event, time) }
                try store.markAnnounced(through: through)
                return []
            } catch {
                stats.alertLogWriteErrors += 1
                return plan.alertLogFailed("\(error)")
            }
        case .writeBeforeCommit(let events):
            for event in events {
                do {
                    try alertLog.write(event, time)
                    plan.wroteBeforeCommit(event)
                } catch {
                    stats.alertLogWriteErrors += 1
                    return plan.alertLogFailed("\(error)")
                }
            }
            return []
        case .raiseStorageFailure(.database, let error):
            logger.error("database write failed; keeping state in memory and retrying", metadata: ["error": "\(error)"])
            return plan.storageFailureRaised(
                engine.storageDidFail("database \(databasePath) cannot be written: \(error)", at: now))
        case .raiseStorageFailure(.alertLog, let error):
            logger.error("alert log write failed; lines stay in the database and are retried",
                         metadata: ["error": "\(error)"])
            return plan.storageFailureRaised(
                engine.storageDidFail("alert log \(alertLog.path) cannot be written: \(error)", at: now))
        case .noteRecovered(.database):
            logger.notice("database writable again")
            return []
        case .noteRecovered(.alertLog):
            logger.notice("alert log writable again")
            return []
        case .clearStorageFailure:
            plan.add(engine.storageDidRecover(at: now))
            return []
        case .replayAlertLog:
            do {
                try alertLog.reopen()
                _ = try replay(time)
                return plan.replayed()
            } catch {
                return []  // still failing; the next pass retries
            }
        }
    }

    /// Writes the committed lines the alert log lacks and records them as announced.
    private func replay(_ time: TimeFormat) throws -> Int {
        let committed = try store.unannouncedEvents()
        guard let last = committed.last else { return 0 }
        let tail: Set<String>
        do {
            tail = try alertLog.tailLines()
        } catch {
            // Unreadable but perhaps writable: every line is written (again), which beats none.
            logger.warning("alert log cannot be read back; writing every unannounced line", metadata: ["error": "\(error)"])
            tail = []
        }
        let missing = CommitThenAnnounce.unwritten(committed, amongLines: tail) { alertLog.render($0, time) }
        for event in missing { try alertLog.write(event, time) }
        try store.markAnnounced(through: last.sequence)
        return missing.count
    }

    /// The notification channels' rows follow the configuration (start, reload), before anything
    /// is committed under it: new channels start after the newest event.
    func syncNotifyChannels(_ channels: [NotifyChannel], at time: Double) throws {
        do {
            try store.syncNotifyChannels(channels.map(\.name), at: time)
        } catch {
            throw DaemonError("storage.database \(databasePath): notification channels cannot be recorded (\(error))")
        }
    }

    func writeStatus(_ status: DaemonStatus) {
        do {
            try store.writeStatus(status)
        } catch {
            logger.error("status write failed", metadata: ["error": "\(error)"])
        }
    }

    /// The devices' last in-memory values, for the CLI while the daemon is stopped.
    func saveDetails(_ details: [DeviceDetail]) {
        do {
            try store.saveDetails(details)
        } catch {
            logger.error("device details not saved", metadata: ["error": "\(error)"])
        }
    }

    func writeStopped(at time: Double) {
        do {
            try store.writeStopped(at: time)
        } catch {
            logger.error("stopped status write failed", metadata: ["error": "\(error)"])
        }
    }

    func reopenAlertLog() {
        do {
            try alertLog.reopen()
            logger.info("alert log reopened", metadata: ["path": "\(alertLog.path)"])
        } catch {
            logger.error("alert log cannot be reopened", metadata: ["error": "\(error)"])
        }
    }
}
