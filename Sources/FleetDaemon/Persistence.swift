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

    /// The single writer (SQLite's `StoreWriter`, or `PostgresStoreWriter` on the active node).
    private(set) var store: any StoreWriting
    let alertLog: AlertLog
    /// The store, for messages: a path, or a URI without its password.
    let location: StoreLocation
    /// With `[ha]`: a commit refused for want of the active lock is this node's cue to stand
    /// by (`lostActive`), not a storage failure; nothing is written before commit then.
    let highlyAvailable: Bool
    /// The store was created at this start (a new SQLite file, an empty PostgreSQL schema).
    let databaseCreated: Bool
    /// SQLite's files, watched for deletion or replacement; nil with PostgreSQL.
    private var files: DatabaseFiles?
    /// Why the database's files are not the ones the daemon writes (deleted, replaced), while
    /// that lasts: commits wait in memory until the file is made again.
    private var databaseGone: String?
    private var recoveryFailureLogged = false
    private let logger: Logger
    private(set) var plan = CommitThenAnnounce()
    private(set) var stats = Stats()
    /// Why this node stopped being active (HA), until the engine loop has stepped down.
    private(set) var lostActive: String?

    /// Creates the alert log's directory and opens it, around the writer `DaemonStore` opened.
    static func open(
        _ storage: StorageSettings, store: any StoreWriting, location: StoreLocation,
        highlyAvailable: Bool = false, databaseCreated: Bool = false,
        logger: Logger
    ) throws -> Persistence {
        do {
            try FileSystem.createParentDirectory(of: storage.alertLog)
        } catch {
            throw DaemonError("storage.alert_log \(storage.alertLog): cannot create its directory (\(error.reason))")
        }
        let alertLog = AlertLog(path: storage.alertLog, format: storage.alertLogFormat)
        try alertLog.reopen()
        return Persistence(
            store: store, alertLog: alertLog, location: location, highlyAvailable: highlyAvailable,
            databaseCreated: databaseCreated, logger: logger)
    }

    private init(
        store: any StoreWriting, alertLog: AlertLog, location: StoreLocation, highlyAvailable: Bool,
        databaseCreated: Bool, logger: Logger
    ) {
        self.store = store
        self.alertLog = alertLog
        self.location = location
        self.highlyAvailable = highlyAvailable
        self.databaseCreated = databaseCreated
        if case .sqlite(let path) = location { files = DatabaseFiles(path: path) }
        self.logger = logger
    }

    var isDatabaseFailing: Bool { plan.isDatabaseFailing }

    /// Stepping down (HA): what was not committed is not this node's to commit any more (the
    /// node that takes over decides from the database and its own engine), and nothing is
    /// retried or written.
    mutating func standBy() {
        plan = CommitThenAnnounce()
        lostActive = nil
    }

    /// A refusal for want of the active lock, in HA: noted for the loop, nothing else done.
    private mutating func lostActiveLock(_ error: any Error) -> Bool {
        guard highlyAvailable, case .notActive(let why) = error as? StoreFailure else { return false }
        if lostActive == nil { lostActive = why }
        return true
    }

    /// What the engine starts from: the database's state, with the next incident id beyond every
    /// id the alert log names too (ids are never reused, SPEC §8), and the OPEN lines of
    /// incidents the database never got (written before their commit; see `AlertLogScan`).
    ///
    /// The log's last 4 MiB are read at every start: where lines written before their commit
    /// are. The whole log is read when the database cannot know every id in it: it was created
    /// just now (then also the first rotation, `.1`, since the log may have been rotated since
    /// the last event), or the log's newest line is more than a minute newer than its newest
    /// event (a database restored from an older backup, or a crash during a storage failure).
    func restore(failuresSince: Double) throws -> (state: RestoredState, unrecorded: [AlertEvent]) {
        var state = try store.restore(failuresSince: failuresSince)
        let unrecordedFrom = databaseCreated ? Int64.max : state.nextIncidentID
        var scan: AlertLogScan
        do {
            scan = try AlertLogScan.read(
                [alertLog.path], format: alertLog.format, unrecordedFrom: unrecordedFrom,
                tailBytes: Self.scannedTail)
            let newestEvent = try store.newestEventTime()
            if databaseCreated || (scan.newestTime ?? -.infinity) > (newestEvent ?? -.infinity) + 60 {
                scan = try AlertLogScan.read(
                    [alertLog.path] + (databaseCreated ? [alertLog.path + ".1"] : []),
                    format: alertLog.format, unrecordedFrom: unrecordedFrom)
                logger.info("alert log read through for incident ids", metadata: ["bytes": "\(scan.bytesRead)"])
            }
        } catch {
            throw DaemonError(
                "storage.alert_log \(alertLog.path) cannot be read back, so incident ids could be "
                    + "reused (\(error)); make it readable by the daemon")
        }
        if scan.highestID >= state.nextIncidentID {
            let metadata: Logger.Metadata = [
                "database_next": "\(Incident.label(state.nextIncidentID))",
                "log_highest": "\(Incident.label(scan.highestID))",
            ]
            if databaseCreated && state.nextIncidentID == 1 {
                logger.warning(
                    "new database next to an alert log with incidents; ids continue after the log's",
                    metadata: metadata)
            } else {
                logger.notice("incident ids continue after the alert log's highest", metadata: metadata)
            }
            state.nextIncidentID = scan.highestID + 1
        }
        return (state, scan.unrecorded)
    }

    static let scannedTail: Int64 = 4 << 20

    /// Effects of incidents adopted from the alert log at start, whose `lines` are written.
    mutating func addAdopted(_ effects: [EngineEffect], alreadyWritten lines: [AlertEvent]) {
        for line in lines { plan.wroteBeforeCommit(line) }
        add(effects)
    }

    /// About once a second: are the database's files still the ones we write? When one was
    /// deleted or replaced, that is a storage failure (P1, /healthz 503), commits wait in
    /// memory, and the file is made again from the open connection, then commits go on.
    mutating func checkDatabaseFiles(engine: inout DetectionEngine, at now: Moment) {
        guard files != nil, let sqlite = store as? StoreWriter else { return }  // SQLite's files only
        if databaseGone == nil {
            guard let problem = files?.problem() else { return }
            databaseGone = problem
            logger.error(
                "database files changed under the daemon; keeping state in memory, making it again",
                metadata: ["problem": "\(problem)"])
            perform(plan.commitFailed("\(problem) while the daemon ran"), lastSeen: [], engine: &engine, at: now)
        }
        do {
            guard let watched = files else { return }
            store = try DatabaseRecovery.recreate(from: sqlite, files: watched, at: now.wall)
            files?.record()
            databaseGone = nil
            recoveryFailureLogged = false
            logger.notice(
                "database made again from the daemon's open copy; nothing lost",
                metadata: ["path": "\(location)"])
        } catch {
            if !recoveryFailureLogged {
                logger.error("database cannot be made again yet; retried every second", metadata: ["error": "\(error)"])
            }
            recoveryFailureLogged = true
        }
    }

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

    private mutating func perform(
        _ first: [CommitThenAnnounce.Action], lastSeen: [(String, Double)],
        engine: inout DetectionEngine, at now: Moment
    ) {
        var queue = first[...]
        while let action = queue.popFirst() {
            let next = perform(action, lastSeen: lastSeen, engine: &engine, at: now)
            if !next.isEmpty { queue = next[...] + queue }
        }
    }

    private mutating func perform(
        _ action: CommitThenAnnounce.Action, lastSeen: [(String, Double)],
        engine: inout DetectionEngine, at now: Moment
    ) -> [CommitThenAnnounce.Action] {
        let time = engine.localTime.format
        switch action {
        case .commit(let effects):
            if let gone = databaseGone { return plan.commitFailed("\(gone) while the daemon ran") }
            do {
                let started = SystemClock.monotonicSeconds()
                let events = try store.commit(effects, lastSeen: lastSeen)
                stats.eventsCommitted += events.count
                stats.lastFlushSeconds = SystemClock.monotonicSeconds() - started
                stats.flushSecondsSum += stats.lastFlushSeconds
                stats.flushCount += 1
                return plan.committed(events)
            } catch {
                if lostActiveLock(error) { return [] }
                return plan.commitFailed("\(error)")
            }
        case .announce(let events, let through):
            do {
                for event in events { try alertLog.write(event, time) }
                try store.markAnnounced(through: through)
                return []
            } catch {
                // The lines are written; the node that takes over writes them again to its own log.
                if lostActiveLock(error) { return [] }
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
                engine.storageDidFail("database \(location) cannot be written: \(error)", at: now))
        case .raiseStorageFailure(.alertLog, let error):
            logger.error(
                "alert log write failed; lines stay in the database and are retried",
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
            logger.warning(
                "alert log cannot be read back; writing every unannounced line", metadata: ["error": "\(error)"])
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
            throw DaemonError(
                "\(location.settingName) \(location): notification channels cannot be recorded (\(error))")
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
