import FleetCore
import FleetStore
import Foundation
import Glibc

extension Daemon {
    /// Commits what the engine produced, then writes the alert lines: an event is announced only
    /// once it is in the database. If the database cannot be written, the effects stay pending
    /// and are retried on the next pass; nothing is announced meanwhile.
    func flush(lastSeen: [(String, Double)], at now: Moment) {
        guard !pending.isEmpty || !lastSeen.isEmpty else { return }
        let events: [AlertEvent]
        do {
            events = try store.commit(pending, lastSeen: lastSeen)
            pending.removeAll(keepingCapacity: true)
        } catch {
            logger.error("database write failed; will retry", metadata: ["error": "\(error)"])
            return
        }
        announce(events)
    }

    func announce(_ events: [AlertEvent]) {
        guard let last = events.last else { return }
        do {
            for event in events { try alertLog.write(event) }
            try store.markAnnounced(through: last.sequence)
        } catch {
            // The events are committed; the lines are written at the next start (or reopen).
            logger.error("alert log write failed", metadata: ["error": "\(error)"])
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
        broker.stop()
        let now = Clock.now()
        pending.append(contentsOf: engine.tick(at: now))
        flush(lastSeen: engine.takeLastSeenUpdates(), at: now)
        try? store.writeStopped(at: now.wall)
        logger.info("stopped")
    }
}
