import FleetStore

/// What this node is to its database (SPEC §15): `single`, or `active`/`standby` with `[ha]`; the
/// PostgreSQL side's sessions (nil with SQLite); and whether the election has been asked for a
/// session and has not handed one over yet, so it is asked once.
struct NodeStanding {
    private(set) var role: NodeRole
    let sessions: NodeSessions?
    private(set) var seeking = false

    init(role: NodeRole, sessions: NodeSessions?) {
        self.role = role
        self.sessions = sessions
    }

    var isStandby: Bool { role == .standby }

    /// Took the lock: active (the election handed the session over before).
    mutating func becameActive() { role = .active }

    /// Lost the lock: standing by, and the election is asked for it again.
    mutating func stoodDown() {
        role = .standby
        seek()
    }

    /// The election looks for a session (and the lock) until it hands one over.
    mutating func seek() {
        guard let sessions else { return }
        seeking = true
        sessions.election.seek()
    }

    /// At start as a standby: the election looks from its own start, without being asked.
    mutating func electionSeeksFromStart() { seeking = sessions != nil }

    /// The election handed a session over.
    mutating func handedOver() { seeking = false }
}
