import FleetCore
import FleetStore
import Logging

/// The PostgreSQL side of a daemon: its node name, the writer (whose session holds the active
/// lock while it is active) and the election that finds it one. HA nodes and `single` daemons
/// on PostgreSQL both have it; only HA nodes stand by.
struct NodeSessions {
    let node: String
    let writer: PostgresStoreWriter
    let election: ElectionService
    let highlyAvailable: Bool
}

/// Active and standby (SPEC §15). A standby runs the engine on every heartbeat, so its device
/// state is warm, and throws the effects away: it writes and announces nothing. On the election's
/// `becameActive` it takes over from the database; on a commit refused for want of the lock
/// (the database connection went, the lock with it) it stops writing and announcing at once and
/// stands by again.
extension EngineLoop {
    /// At start, as a standby: the startup effects are not ours to commit.
    func startStandingBy() {
        persistence.standBy()
        produced.removeAll(keepingCapacity: true)
        history.standBy()
        if let sessions = standing.sessions { sessions.writer.detach(because: "standing by") }
        standing.electionSeeksFromStart()
        logger.info("standing by", metadata: ["node": "\(standing.sessions?.node ?? "")"])
    }

    /// A standby's pass: the engine has run; nothing it produced is committed or announced, and
    /// its history samples go (the active node keeps its own of the same heartbeats).
    func standbyPass(at now: Moment) {
        produced.removeAll(keepingCapacity: true)
        _ = engine.takeHistorySamples()
        if schedule.lastSeenDue(at: now.monotonic) { _ = engine.takeLastSeenUpdates() }
        if schedule.statusDue(at: now.monotonic) {
            writeStatus(at: now)
            publishHealth(at: now)
        }
    }

    /// After a commit: an HA node that lost the lock stands by; a `single` one whose session
    /// went (its commits fail as a storage failure meanwhile) asks the election for a new one.
    /// True when the node stepped down.
    func checkSessions(at now: Moment) -> Bool {
        guard let sessions = standing.sessions else { return false }
        if let reason = persistence.lostActive {
            stepDown(reason, at: now)
            return true
        }
        if !sessions.writer.isAttached && !standing.seeking { standing.seek() }
        return false
    }

    /// The election took the lock on `session`.
    func becameActive(_ session: PostgresSession, at now: Moment) {
        guard let sessions = standing.sessions, !stopping else { return }
        standing.handedOver()
        sessions.writer.attach(session)
        guard standing.isStandby else {
            logger.notice("database session back, with the active lock; retrying what is pending")
            return
        }
        takeOver(sessions, at: now)
    }

    /// From the database: open incidents, cursors (announced_through, notification positions)
    /// and ids; from this engine: every device's liveness (`WarmStart`). Then the lines the old
    /// active committed but did not write go to this node's alert log, and its channels start
    /// where the database says they are.
    private func takeOver(_ sessions: NodeSessions, at now: Moment) {
        let started = Clock.now().monotonic
        let settings = configuration.current
        do {
            let restored = try persistence.store.restore(
                failuresSince: now.wall - settings.escalation.repeatWindowSeconds)
            let warm = engine.warmStart()
            var next = DetectionEngine(configuration: settings, restored: restored, at: now)
            var effects = next.takeStartupEffects()
            effects += next.adopt(warm, at: now)
            engine = next
            persistence.standBy()
            produced.removeAll(keepingCapacity: true)
            persistence.add(effects)
            try persistence.syncNotifyChannels(settings.notify, at: now.wall)
            try persistence.replayAtStart(engine.localTime.format)
            history.resume(hoursThrough: try persistence.store.historyHoursThrough())
        } catch {
            logger.error("takeover failed; standing by", metadata: ["error": "\(error)"])
            sessions.writer.detach(because: "takeover failed: \(error)")
            persistence.standBy()
            standing.seek()
            return
        }
        standing.becameActive()
        flush(lastSeen: [], at: now)
        if persistence.lostActive != nil {
            stepDown(persistence.lostActive ?? "", at: now)
            return
        }
        notifier.setActive(true)
        broker.link.announce(.active)
        writeStatus(at: now)
        logger.notice(
            "took over as the active node",
            metadata: [
                "node": "\(sessions.node)", "devices": "\(engine.deviceCount)",
                "unresolved_incidents": "\(engine.unresolvedIncidents.count)",
                "took_s": "\(DurationText.seconds(Clock.now().monotonic - started))",
            ])
    }

    /// Not the active node any more: nothing more is written or announced from here, the session
    /// (and with it any claim to the lock) is dropped, and the election looks for the lock again.
    func stepDown(_ reason: String, at now: Moment) {
        guard let sessions = standing.sessions, sessions.highlyAvailable else { return }
        sessions.writer.detach(because: reason)
        persistence.standBy()
        produced.removeAll(keepingCapacity: true)
        history.standBy()
        standing.stoodDown()
        notifier.setActive(false)
        broker.link.announce(.standby)
        logger.error(
            "stopped writing and announcing: this node is not the active one any more; standing by",
            metadata: ["node": "\(sessions.node)", "reason": "\(reason)"])
        writeStatus(at: now)
    }
}
