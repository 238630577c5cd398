import Foundation
import Synchronization

/// Wakes a waiting thread without ever blocking the one that signals: the engine loop tells the
/// notifier's threads that events were committed, and a burst of signals is one wake-up.
final class WakeSignal: Sendable {
    private let pending = Atomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)

    func signal() {
        if !pending.exchange(true, ordering: .acquiringAndReleasing) { semaphore.signal() }
    }

    /// Waits until signalled or `seconds` passed; true when signalled.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        let signalled = semaphore.wait(timeout: .now() + max(0, seconds)) == .success
        pending.store(false, ordering: .releasing)
        return signalled
    }
}
