import Synchronization

/// The latest snapshot, shared between the loop (writer) and the HTTP thread (reader).
final class HealthBoard: Sendable {
    private let current = Mutex(HealthSnapshot())
    func publish(_ snapshot: HealthSnapshot) { current.withLock { $0 = snapshot } }
    var snapshot: HealthSnapshot { current.withLock { $0 } }
}
