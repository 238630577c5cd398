import FleetCore

/// Commit before announcing (SPEC §7), as a value that decides and does no I/O: every event is
/// committed to the database before its alert line is written; while the database or the alert
/// log cannot be written, nothing is lost and a P1 `storage-failure` is open; lines that did not
/// get written (a crash between commit and write, a failing log) are written later, once.
///
/// Inputs are what the engine produced and how each step went; outputs are `Action`s for the
/// `Persistence` shell to carry out, in order, reporting each outcome back.
struct CommitThenAnnounce {
    /// Where events go: the database first, then the alert log.
    enum Sink: Sendable, Hashable {
        case database
        case alertLog
    }

    enum Action: Equatable {
        /// Commit these effects in one transaction (with the pass's last_seen updates); report
        /// `committed(_:)` with the events as stored, or `commitFailed(_:)`.
        case commit([EngineEffect])
        /// Write these committed lines, in order, then record every event through `through` as
        /// announced; report `alertLogFailed(_:)` if that fails.
        case announce([AlertEvent], through: Int64)
        /// The database is failing: write these lines before their commit, which is what fails
        /// (the storage-failure OPEN); report each written one with `wroteBeforeCommit(_:)`.
        case writeBeforeCommit([AlertEvent])
        /// Log that `sink` fails and open (or update) the P1 storage-failure with `error`; hand
        /// the engine's effects to `storageFailureRaised(_:)`.
        case raiseStorageFailure(Sink, error: String)
        /// Log that `sink` can be written again.
        case noteRecovered(Sink)
        /// Both sinks work again: let the storage-failure clear; hand the engine's effects to `add(_:)`.
        case clearStorageFailure
        /// Reopen the alert log and write the committed lines it lacks; report `replayed()` when done.
        case replayAlertLog
    }

    /// Effects not yet committed, oldest first.
    private(set) var pending: [EngineEffect] = []
    /// The sinks that failed and have not worked since.
    private(set) var failing: Set<Sink> = []
    /// Events whose line went out before their commit, so it is not written again after it.
    private var writtenBeforeCommit: Set<EventIdentity> = []
    /// How many of `pending` the commit in flight holds.
    private var committing = 0

    var isDatabaseFailing: Bool { failing.contains(.database) }

    mutating func add(_ effects: [EngineEffect]) {
        pending.append(contentsOf: effects)
    }

    /// A pass of the loop: commit what is pending. `withLastSeen` asks for a commit even when no
    /// effect is pending (the pass has last_seen updates to store).
    mutating func flush(withLastSeen: Bool = false) -> [Action] {
        guard !pending.isEmpty || withLastSeen else { return [] }
        committing = pending.count
        return [.commit(pending)]
    }

    /// The commit went through; `events` are its announced events with their sequence numbers.
    mutating func committed(_ events: [AlertEvent]) -> [Action] {
        if committing == pending.count {
            // A burst registration commits 100,000 device records at once: that buffer goes.
            pending.removeAll(keepingCapacityUpTo: 4096)
        } else {
            pending.removeFirst(committing)
        }
        committing = 0
        var actions: [Action] = []
        if failing.remove(.database) != nil {
            actions.append(.noteRecovered(.database))
            if failing.isEmpty { actions.append(.clearStorageFailure) }
        }
        // While the log fails, committed lines stay unannounced in the database; `replayed()`
        // follows once it works again.
        guard !failing.contains(.alertLog), let last = events.last else { return actions }
        let lines = events.filter { writtenBeforeCommit.remove(EventIdentity($0)) == nil }
        actions.append(.announce(lines, through: last.sequence))
        return actions
    }

    /// The commit failed: everything stays pending and is retried on the next pass. The first
    /// failure raises the storage-failure; later ones only retry.
    mutating func commitFailed(_ error: String) -> [Action] {
        committing = 0
        guard failing.insert(.database).inserted else { return [] }
        return [.raiseStorageFailure(.database, error: error)]
    }

    /// The engine's effects for a raised storage-failure. They are committed like any others;
    /// while the database fails, their lines are written at once, since that commit is what fails.
    mutating func storageFailureRaised(_ effects: [EngineEffect]) -> [Action] {
        pending.append(contentsOf: effects)
        guard failing.contains(.database), !failing.contains(.alertLog) else { return [] }
        let lines = effects.compactMap { effect -> AlertEvent? in
            if case .announce(let event) = effect { return event }
            return nil
        }
        return lines.isEmpty ? [] : [.writeBeforeCommit(lines)]
    }

    /// A line of `.writeBeforeCommit` is written: after its commit it is not written again.
    mutating func wroteBeforeCommit(_ event: AlertEvent) {
        writtenBeforeCommit.insert(EventIdentity(event))
    }

    /// A line could not be written (or its announcement not recorded). The lines not yet
    /// written stay unannounced in the database, and `retryDue()` replays them.
    mutating func alertLogFailed(_ error: String) -> [Action] {
        guard failing.insert(.alertLog).inserted else { return [] }
        return [.raiseStorageFailure(.alertLog, error: error)]
    }

    /// About once a second: while the log fails, try it again.
    func retryDue() -> [Action] {
        failing.contains(.alertLog) ? [.replayAlertLog] : []
    }

    /// The log was reopened and every committed line it lacked is written.
    mutating func replayed() -> [Action] {
        guard failing.remove(.alertLog) != nil else { return [] }
        var actions: [Action] = [.noteRecovered(.alertLog)]
        if failing.isEmpty { actions.append(.clearStorageFailure) }
        return actions
    }

    /// Of the committed but unannounced `events`, those whose exact line is not among `written`
    /// (the end of the log): the ones a crash or a failing log kept from being written.
    static func unwritten(
        _ events: [AlertEvent], amongLines written: Set<String>,
        render: (AlertEvent) -> String
    ) -> [AlertEvent] {
        events.filter { !written.contains(render($0)) }
    }
}
