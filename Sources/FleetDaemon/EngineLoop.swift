import FleetCore
import FleetStore
import Foundation
import Logging
import SystemCalls

/// The one loop that feeds the engine, as the daemon's foreground service: it takes the inbox a
/// batch at a time (messages, broker events, signals, operator requests, in the order they
/// happened), runs the engine, and hands what it produced to `Persistence`, which commits and
/// then announces. Everything here runs on the loop's thread.
final class EngineLoop: Service {
    /// How long the loop waits for messages before it ticks anyway: bounds detection latency.
    static let tickInterval = 0.05

    var name: String { "engine-loop" }
    let inbox: Inbox
    let logger: Logger
    var configuration: RunningConfiguration
    var engine: DetectionEngine
    var ingest: Ingest
    /// What the engine produced in this pass and persistence has not been given yet: the hot
    /// path appends here, without a call per message into the commit logic.
    var produced: [EngineEffect] = []
    /// `produced` is given back beyond this many effects (a burst registration's 100,000 records).
    static let keptEffects = 4096
    var persistence: Persistence
    var supervision: Supervision
    var schedule = LoopSchedule()
    var broker: BrokerContact
    /// Metric history, written after each pass's commit (issue 15).
    var history: HistoryWriter
    var stopping = false
    /// Told (without waiting) when a commit wrote events, and of reloads and `notify test`.
    let notifier: Notifier
    /// `single`, `active` or `standby` (a standby runs the engine on every heartbeat and throws
    /// its effects away), with the PostgreSQL side's election and writer.
    var standing: NodeStanding

    /// Restores the engine from the database: the loop is complete before it runs.
    init(
        configuration: RunningConfiguration, inbox: Inbox, broker: BrokerLink, persistence: Persistence,
        supervision: Supervision, notifier: Notifier, rollups: RollupHandoff, role: NodeRole = .single,
        sessions: NodeSessions? = nil, logger: Logger, at now: Moment
    ) throws {
        let settings = configuration.current
        let restored = try persistence.restore(failuresSince: now.wall - settings.escalation.repeatWindowSeconds)
        engine = DetectionEngine(configuration: settings, restored: restored.state, at: now)
        self.configuration = configuration
        self.inbox = inbox
        self.broker = BrokerContact(link: broker, logger: logger)
        self.persistence = persistence
        self.supervision = supervision
        self.notifier = notifier
        standing = NodeStanding(role: role, sessions: sessions)
        self.logger = logger
        ingest = Ingest(
            configuration: settings, probe: ProbeMessage(topicPrefix: settings.mqtt.topicPrefix),
            logger: logger)
        history = HistoryWriter(
            settings: settings.storage, handoff: rollups,
            hoursThrough: try persistence.store.historyHoursThrough(),
            logger: logger)
        self.persistence.add(engine.takeStartupEffects())
        self.persistence.addAdopted(
            engine.adoptUnrecordedStorageFailures(restored.unrecorded, at: now),
            alreadyWritten: restored.unrecorded)
    }

    /// Lines a crash left unwritten, then the first commit, then signals. A standby does neither:
    /// it writes nothing until it takes over.
    func start() throws {
        let now = Clock.now()
        if standing.isStandby {
            startStandingBy()
        } else {
            try persistence.replayAtStart(engine.localTime.format)
            flush(lastSeen: [], at: now)
        }
        try supervision.signals.install(into: inbox)
        writeStatus(at: now)
    }

    /// Until SIGTERM or SIGINT.
    func run() {
        var batch = Inbox.Batch()
        while !stopping {
            inbox.take(into: &batch, timeout: history.hasRowsReady ? 0 : Self.tickInterval)
            supervision.passes.start(at: SystemClock.monotonicSeconds())
            let now = Clock.now()
            if !batch.messages.isEmpty {
                supervision.health.ingestLagSeconds = max(0, now.monotonic - batch.firstArrival)
            }
            var applied = 0
            for (control, afterMessages) in batch.controls {
                ingest.apply(batch, applied..<afterMessages, to: &engine, effects: &produced, at: now)
                applied = afterMessages
                handle(control, at: Clock.now())
            }
            ingest.apply(batch, applied..<batch.messages.count, to: &engine, effects: &produced, at: now)
            probesCameBack(at: now)
            supervision.passes.mark(.messages, at: SystemClock.monotonicSeconds())
            supervision.pingWatchdog(at: now)
            produced.append(contentsOf: engine.tick(at: now))
            probeTheLink(at: now)
            supervision.passes.mark(.tick, at: SystemClock.monotonicSeconds())
            finishPass(at: now)
            if let slow = supervision.passes.finish() {
                logger.warning("engine pass slow; due deadlines waited", metadata: slow)
            }
            if schedule.forecastPruneDue(ready: supervision.readySent) { pruneForecasts() }
        }
    }

    /// Commits and announces what the pass produced, and does what is due.
    private func finishPass(at now: Moment) {
        guard !standing.isStandby else { return standbyPass(at: now) }
        if schedule.lastSeenDue(at: now.monotonic) {
            if schedule.lastSeenRoundDue(at: now.monotonic) { engine.beginLastSeenRound() }
            commit(lastSeen: engine.takeLastSeenUpdates(limit: LoopSchedule.lastSeenSlice), at: now)
        } else {
            commit(at: now)
        }
        supervision.passes.mark(.commit, at: SystemClock.monotonicSeconds())
        if checkSessions(at: now) { return }
        writeHistory(at: now)
        supervision.passes.mark(.history, at: SystemClock.monotonicSeconds())
        defer { supervision.passes.mark(.duties, at: SystemClock.monotonicSeconds()) }
        if schedule.statusDue(at: now.monotonic) {
            persistence.checkDatabaseFiles(engine: &engine, at: now)
            persistence.retryAlertLog(engine: &engine, at: now)
            writeStatus(at: now)
            publishHealth(at: now)
            supervision.heap.second(
                registrations: engine.registrations, historyBacklog: history.pending, logger: logger)
        }
    }

    func publishHealth(at now: Moment) {
        let databaseFailing =
            standing.isStandby
            ? !(standing.sessions?.election.isConnected ?? true) : persistence.isDatabaseFailing
        supervision.publish(
            engine: engine, counters: ingest.counters, writes: persistence.stats,
            history: history, databaseFailing: databaseFailing,
            brokerDownP1After: configuration.current.detection.brokerDownP1AfterSeconds, role: standing.role,
            at: now)
    }

    /// Hands over what was produced and commits it (a pass with nothing to commit costs nothing).
    func commit(lastSeen: [(String, Double)] = [], at now: Moment) {
        persistence.add(produced)
        produced.removeAll(keepingCapacityUpTo: Self.keptEffects)
        flush(lastSeen: lastSeen, at: now)
    }

    /// Commits, and wakes the notifier when events were committed (a signal, never a wait).
    func flush(lastSeen: [(String, Double)], at now: Moment) {
        let before = persistence.stats.eventsCommitted
        persistence.flush(lastSeen: lastSeen, engine: &engine, at: now)
        if persistence.stats.eventsCommitted != before { notifier.eventsCommitted() }
    }

    /// This node's status row: written by the loop while it writes, by the election (on its
    /// own session) while it stands by.
    func writeStatus(at now: Moment) {
        let status = DaemonStatus(
            pid: ProcessControl.currentID, startedAt: supervision.startedAt, updatedAt: now.wall,
            brokerConnected: engine.brokerConnected, accepted: ingest.counters.accepted,
            rejected: ingest.counters.rejectedByName, forgotten: engine.forgottenDevices,
            brokerStats: engine.brokerStats.json, ingestLagSeconds: supervision.health.ingestLagSeconds,
            flushSeconds: persistence.stats.lastFlushSeconds, role: standing.role, node: standing.sessions?.node ?? "")
        standing.sessions?.election.publish(status)
        // A standby's row is the election's to write; without a session (the database went) there
        // is nothing to write it on until the election brings one back.
        guard !standing.isStandby, standing.sessions?.writer.isAttached ?? true else { return }
        persistence.writeStatus(status)
    }

    /// After `run()` returned and the services started after this one have stopped: the last
    /// commit (with every last_seen), and the status row says stopped.
    func stop() {
        stopping = true
        supervision.signals.cancel()
        let now = Clock.now()
        guard !standing.isStandby else { return }  // the election writes the standby's row as stopped
        produced.append(contentsOf: engine.tick(at: now))
        commit(lastSeen: engine.takeLastSeenUpdates(), at: now)
        persistence.saveDetails(engine.heardDetails(at: now))
        writeHistory(at: now)
        history.flush(store: persistence.store, at: now)
        persistence.writeStopped(at: now.wall)
    }

    /// The pass's history samples, after its commit, to whichever store this node writes.
    func writeHistory(at now: Moment) {
        history.pass(engine.takeHistorySamples(), store: persistence.store, at: now)
    }

    /// Stored forecasts of kinds that no longer have them go (once ready after a start, and after
    /// a reload).
    func pruneForecasts() {
        do {
            try persistence.store.keepOnlyForecasts(engine.forecastNamesByKind)
        } catch {
            logger.error("stored forecasts could not be pruned", metadata: ["error": "\(error)"])
        }
    }

    /// For the daemon's `started` line.
    var startupMetadata: Logger.Metadata {
        ["devices": "\(engine.deviceCount)", "unresolved_incidents": "\(engine.unresolvedIncidents.count)"]
    }
}
