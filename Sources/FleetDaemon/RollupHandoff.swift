import FleetStore
import Synchronization

/// Where the rollup service leaves hourly rollups for the engine loop, the database's only
/// writer, to commit a batch at a time; whether history is on (SIGHUP may change it) and whether
/// this node writes (an HA standby does not: its rollups would never be committed). The loop
/// never waits here: it takes what is there.
final class RollupHandoff: Sendable {
    private struct State {
        var batches: [HistoryRollupBatch] = []
        var enabled: Bool
        var writing: Bool
    }

    private let state: Mutex<State>
    /// The service stops computing while this many batches wait: the writer sets the pace.
    static let limit = 2

    init(enabled: Bool, writing: Bool = true) { state = Mutex(State(enabled: enabled, writing: writing)) }

    var enabled: Bool {
        get { state.withLock { $0.enabled } }
        set { state.withLock { $0.enabled = newValue } }
    }

    /// History is on and this node writes it: the service has work to do.
    var rollsUp: Bool { state.withLock { $0.enabled && $0.writing } }

    /// Whether this node writes; a node that stops drops the batches waiting (the active node
    /// rolls those hours up itself).
    var writing: Bool {
        get { state.withLock { $0.writing } }
        set {
            state.withLock {
                $0.writing = newValue
                if !newValue { $0.batches.removeAll() }
            }
        }
    }

    var isFull: Bool { state.withLock { $0.batches.count >= Self.limit } }

    func put(_ batch: HistoryRollupBatch) { state.withLock { $0.batches.append(batch) } }

    func take() -> HistoryRollupBatch? {
        state.withLock { $0.batches.isEmpty ? nil : $0.batches.removeFirst() }
    }

    /// A batch whose commit failed goes back to the front, to be retried.
    func putBack(_ batch: HistoryRollupBatch) { state.withLock { $0.batches.insert(batch, at: 0) } }
}
