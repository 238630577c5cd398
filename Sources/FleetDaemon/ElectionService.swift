import FleetCore
import FleetStore
import Logging
import Synchronization

/// Who is active on a shared PostgreSQL database (SPEC §15), on a thread of its own: connecting
/// may take seconds, and the engine loop must never wait for it. While this node holds no
/// session with the active lock, the election opens one, tries `pg_try_advisory_lock` about once
/// a second and, meanwhile, writes this node's status row (role standby). When it gets the
/// lock it hands that very session to the engine loop (`Inbox.Control.becameActive`), whose
/// commits are then fenced on it, and waits until the loop gives it up again (`seek`).
///
/// A daemon without `[ha]` on PostgreSQL uses it too, to get its session back after losing it
/// (the database restarted); it starts with the lock already held (`seeking: false`).
final class ElectionService: Service, Sendable {
    var name: String { "ha-election" }
    static let pollInterval = 1.0

    private struct State {
        var seeking: Bool
        var stopping = false
        /// This node's latest status, written to its row on each poll while it stands by.
        var status: DaemonStatus?
        /// The last poll reached the database.
        var connected = false
        /// The node holding the lock as of the last poll.
        var activeNode: String?
    }

    private let target: PostgresTarget
    private let node: String
    private let inbox: Inbox
    private let logger: Logger
    private let state: Mutex<State>
    /// The session the election polls on; only `run()`'s thread touches it after `start()`.
    private let first: Mutex<PostgresSession?>
    private let wake = WakeSignal()

    /// `seeking`: look for the lock from the start (an HA node); a `single` daemon has it already.
    init(target: PostgresTarget, node: String, inbox: Inbox, seeking: Bool, logger: Logger) {
        self.target = target
        self.node = node
        self.inbox = inbox
        self.logger = logger
        state = Mutex(State(seeking: seeking))
        first = Mutex(nil)
    }

    /// Before `start()`: a session already open (the one the start restored from), polled first.
    func hand(_ session: PostgresSession?) {
        first.withLock { $0 = session }
        state.withLock { $0.connected = session != nil }
    }

    func start() {}

    func run() {
        var session = first.withLock { taken in
            defer { taken = nil }
            return taken
        }
        var failing = false
        while true {
            let (seeking, stopping) = state.withLock { ($0.seeking, $0.stopping) }
            if stopping { break }
            guard seeking else {
                wake.wait(seconds: 3600)
                continue
            }
            do {
                let current =
                    try session.flatMap { $0.isConnected ? $0 : nil }
                    ?? PostgresSession(target, node: node, timeout: 5)
                session = current
                if try current.tryTakeActiveLock() {
                    logger.notice("took the active lock", metadata: ["node": "\(node)"])
                    state.withLock {
                        $0.seeking = false
                        $0.activeNode = node
                    }
                    inbox.post(.becameActive(current))
                    session = nil
                    continue
                }
                let holder = try current.activeNode()
                let status = state.withLock {
                    $0.connected = true
                    $0.activeNode = holder
                    return $0.status
                }
                if let status { try current.writeStatus(status) }
                if failing {
                    logger.notice("database reachable again; standing by", metadata: ["active": "\(holder ?? "none")"])
                }
                failing = false
            } catch {
                session = nil
                state.withLock { $0.connected = false }
                if !failing {
                    logger.error("database unreachable; retrying every second", metadata: ["error": "\(error)"])
                }
                failing = true
            }
            wake.wait(seconds: Self.pollInterval)
        }
        if let session, state.withLock({ $0.status }) != nil {
            try? session.writeStopped(at: Clock.now().wall)
        }
    }

    func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
    }

    /// From the engine loop: this node has no session with the lock (it stepped down, or lost
    /// its connection): look for one again.
    func seek() {
        state.withLock { $0.seeking = true }
        wake.signal()
    }

    /// From the engine loop, about once a second: what this node's status row should say.
    func publish(_ status: DaemonStatus) {
        state.withLock { $0.status = status }
    }

    /// Whether the last poll reached the database (a standby's health).
    var isConnected: Bool { state.withLock { $0.connected } }

    /// The node that held the lock at the last poll, for messages.
    var activeNode: String? { state.withLock { $0.activeNode } }
}
