import FleetCore
import FleetStore
import Foundation
import Glibc

extension Daemon {
    /// Commits what the engine produced, then writes the alert lines: an event is announced only
    /// once it is in the database. If the database cannot be written, the effects stay pending
    /// and are retried on the next pass, and a P1 `storage-failure` is raised: its own OPEN line
    /// is the one line written before its commit, since the commit is what is failing.
    func flush(lastSeen: [(String, Double)], at now: Moment) {
        guard !pending.isEmpty || !lastSeen.isEmpty else { return }
        let events: [AlertEvent]
        do {
            let started = Clock.now().monotonic
            events = try store.commit(pending, lastSeen: lastSeen)
            health.flushSeconds = Clock.now().monotonic - started
            health.flushSecondsSum += health.flushSeconds
            health.flushCount += 1
            pending.removeAll(keepingCapacity: true)
        } catch {
            databaseFailed(error, at: now)
            return
        }
        if databaseFailing {
            databaseFailing = false
            logger.notice("database writable again")
            if !alertLogFailing { pending.append(contentsOf: engine.storageDidRecover(at: now)) }
        }
        announce(events, at: now)
    }

    func databaseFailed(_ error: Error, at now: Moment) {
        guard !databaseFailing else { return }
        databaseFailing = true
        logger.error("database write failed; keeping state in memory and retrying", metadata: ["error": "\(error)"])
        let raised = engine.storageDidFail("database \(configuration.storage.database) cannot be written: \(error)", at: now)
        for case .announce(let event) in raised {
            try? alertLog.write(event, engine.localTime.format)
            writtenBeforeCommit.insert(EventIdentity(event))
        }
        pending.append(contentsOf: raised)
    }

    /// Writes committed events to the alert log. While the log is failing, committed events stay
    /// unannounced in the database and are written from there once it works again.
    func announce(_ events: [AlertEvent], at now: Moment) {
        guard !alertLogFailing, let last = events.last else { return }
        do {
            for event in events where writtenBeforeCommit.remove(EventIdentity(event)) == nil {
                try alertLog.write(event, engine.localTime.format)
            }
            try store.markAnnounced(through: last.sequence)
        } catch {
            alertLogFailing = true
            health.alertLogWriteErrors += 1
            logger.error("alert log write failed; lines stay in the database and are retried",
                         metadata: ["error": "\(error)"])
            pending.append(contentsOf: engine.storageDidFail("alert log \(alertLog.path) cannot be written: \(error)", at: now))
        }
    }

    func retryAlertLog(at now: Moment) {
        do {
            try alertLog.reopen()
            try replayUnannounced()
            alertLogFailing = false
            logger.notice("alert log writable again")
            if !databaseFailing { pending.append(contentsOf: engine.storageDidRecover(at: now)) }
        } catch {
            // Still failing; the next pass retries.
        }
    }

    func writeStatus(at now: Moment) {
        let status = DaemonStatus(pid: getpid(), startedAt: startedAt, updatedAt: now.wall,
                                  brokerConnected: engine.brokerConnected, accepted: counters.accepted,
                                  rejected: counters.rejectedByName)
        do {
            try store.writeStatus(status)
        } catch {
            logger.error("status write failed", metadata: ["error": "\(error)"])
        }
    }

    /// Reverse order of start: broker, then a last flush, then the store.
    func shutdown() {
        for source in signalSources { source.cancel() }
        control.stop()
        metricsServer?.stop()
        broker.stop()
        let now = Clock.now()
        pending.append(contentsOf: engine.tick(at: now))
        flush(lastSeen: engine.takeLastSeenUpdates(), at: now)
        try? store.writeStopped(at: now.wall)
        checkpointer.stop()
        logger.info("stopped")
    }
}
