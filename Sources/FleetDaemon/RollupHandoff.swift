import FleetStore
import Synchronization

/// Where the rollup service leaves hourly rollups for the engine loop, the database's only
/// writer, to commit a batch at a time; and whether history is on (SIGHUP may change it). The
/// loop never waits here: it takes what is there.
final class RollupHandoff: Sendable {
    private struct State {
        var batches: [HistoryRollupBatch] = []
        var enabled: Bool
    }

    private let state: Mutex<State>
    /// The service stops computing while this many batches wait: the writer sets the pace.
    static let limit = 2

    init(enabled: Bool) { state = Mutex(State(enabled: enabled)) }

    var enabled: Bool {
        get { state.withLock { $0.enabled } }
        set { state.withLock { $0.enabled = newValue } }
    }

    var isFull: Bool { state.withLock { $0.batches.count >= Self.limit } }

    func put(_ batch: HistoryRollupBatch) { state.withLock { $0.batches.append(batch) } }

    func take() -> HistoryRollupBatch? {
        state.withLock { $0.batches.isEmpty ? nil : $0.batches.removeFirst() }
    }

    /// A batch whose commit failed goes back to the front, to be retried.
    func putBack(_ batch: HistoryRollupBatch) { state.withLock { $0.batches.insert(batch, at: 0) } }
}
