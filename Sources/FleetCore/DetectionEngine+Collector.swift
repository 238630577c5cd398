/// The watcher's own faults: storage that cannot be written is a P1 about the watcher itself.
extension DetectionEngine {
    /// The database or the alert log cannot be written.
    public mutating func storageDidFail(_ reason: String, at now: Moment) -> [EngineEffect] {
        collector.storage(failing: true)
        return raise(Problem(rule: .storageFailure, priority: .p1, scope: .collector, summary: reason), at: now)
    }

    /// Writes succeed again: the storage incident resolves after `resolve_after_s`.
    public mutating func storageDidRecover(at now: Moment) -> [EngineEffect] {
        collector.storage(failing: false)
        incidents.clear(IncidentKey(rule: .storageFailure, scope: .collector), at: now)
        return []
    }
}
