import FleetCore

@testable import FleetDaemon

/// Plays the shell around `CommitThenAnnounce` with an in-memory database and alert log that a
/// test can make fail, and a stand-in for the engine's storage-failure incident (INC-000099):
/// no SQLite, no files.
struct CommitThenAnnounceRig {
    var machine = CommitThenAnnounce()
    var databaseWorks = true
    /// How many more lines the log accepts (nil: any number).
    var logAccepts: Int?
    /// Events in the database, in commit order, with their sequence numbers.
    private(set) var database: [AlertEvent] = []
    private(set) var announcedThrough: Int64 = 0
    /// Lines in the alert log, in the order written.
    private(set) var log: [String] = []
    private(set) var notes: [String] = []
    private var nextSequence: Int64 = 1
    private var storageFailureOpen = false
    private var clock = 1000.0

    static let storageIncident: Int64 = 99

    var logWorks: Bool {
        get { logAccepts != 0 }
        set { logAccepts = newValue ? nil : 0 }
    }

    static func line(_ event: AlertEvent) -> String {
        "\(event.kind.rawValue) \(Incident.label(event.incidentID)) t=\(event.time)"
    }

    mutating func event(_ kind: AlertEvent.Kind, _ incident: Int64) -> AlertEvent {
        clock += 1
        return AlertEvent(time: clock, kind: kind, priority: .p2, incidentID: incident, fields: [])
    }

    /// The engine produced `kinds` for `incident`.
    mutating func produce(_ kinds: [AlertEvent.Kind], incident: Int64) {
        var effects: [EngineEffect] = []
        for kind in kinds { effects.append(.announce(event(kind, incident))) }
        machine.add(effects)
    }

    mutating func flush() { run(machine.flush()) }
    mutating func retry() { run(machine.retryDue()) }

    /// A restart: the machine's memory is gone, the database and the log stay; lines of
    /// events committed but not announced are replayed as at start.
    mutating func restart() {
        machine = CommitThenAnnounce()
        storageFailureOpen = false
        replay()
    }

    /// Lines written for `incident`, in order.
    func lines(of incident: Int64) -> [String] { log.filter { $0.contains(" \(Incident.label(incident)) ") } }

    private mutating func run(_ actions: [CommitThenAnnounce.Action]) {
        var queue = actions
        while !queue.isEmpty {
            queue = perform(queue.removeFirst()) + queue
        }
    }

    private mutating func write(_ event: AlertEvent) -> Bool {
        if let left = logAccepts {
            guard left > 0 else { return false }
            logAccepts = left - 1
        }
        log.append(Self.line(event))
        return true
    }

    @discardableResult
    private mutating func replay() -> Bool {
        guard logWorks else { return false }
        let unannounced = database.filter { $0.sequence > announcedThrough }
        for event in CommitThenAnnounce.unwritten(unannounced, amongLines: Set(log), render: Self.line) {
            guard write(event) else { return false }
        }
        announcedThrough = database.last?.sequence ?? announcedThrough
        return true
    }

    private mutating func perform(_ action: CommitThenAnnounce.Action) -> [CommitThenAnnounce.Action] {
        switch action {
        case .commit(let effects):
            guard databaseWorks else { return machine.commitFailed("disk I/O error") }
            var events: [AlertEvent] = []
            for case .announce(var event) in effects {
                event.sequence = nextSequence
                nextSequence += 1
                database.append(event)
                events.append(event)
            }
            return machine.committed(events)
        case .announce(let events, let through):
            for event in events where !write(event) { return machine.alertLogFailed("EIO") }
            announcedThrough = through
            return []
        case .writeBeforeCommit(let events):
            for event in events {
                guard write(event) else { return machine.alertLogFailed("EIO") }
                machine.wroteBeforeCommit(event)
            }
            return []
        case .raiseStorageFailure(let sink, _):
            notes.append("failing \(sink)")
            // The engine opens the incident once; while it is open, a new failure adds nothing.
            let effects: [EngineEffect] = storageFailureOpen ? [] : [.announce(event(.open, Self.storageIncident))]
            storageFailureOpen = true
            return machine.storageFailureRaised(effects)
        case .noteRecovered(let sink):
            notes.append("recovered \(sink)")
            return []
        case .clearStorageFailure:
            // Simplified: the engine's resolve_after_s is not modelled; it resolves at once.
            storageFailureOpen = false
            machine.add([.announce(event(.resolve, Self.storageIncident))])
            return []
        case .replayAlertLog:
            return replay() ? machine.replayed() : []
        }
    }
}
