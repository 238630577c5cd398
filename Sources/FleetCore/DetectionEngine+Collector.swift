/// The watcher's own faults: storage that cannot be written is a P1 about the watcher itself.
extension DetectionEngine {
    /// The database or the alert log cannot be written.
    public mutating func storageDidFail(_ reason: String, at now: Moment) -> [EngineEffect] {
        collector.storage(failing: true)
        return raise(Problem(rule: .storageFailure, priority: .p1, scope: .collector, summary: reason), at: now)
    }

    /// The daemon's own probe, published at `sentAt` (monotonic), came back through the broker:
    /// everything published before it has been received, so deadlines up to then can be judged.
    /// While the daemon probes, nobody goes offline without such proof (a frozen broker keeps its
    /// TCP session open and delivers nothing).
    public mutating func brokerDelivered(through sentAt: Double) {
        collector.delivered(through: sentAt)
    }

    /// The broker stopped delivering (the daemon's probe did not come back): blind, as after a
    /// disconnect. `brokerDidConnect` when it delivers again: everyone gets the grace period.
    public mutating func brokerStoppedDelivering(at now: Moment) -> [EngineEffect] {
        brokerDidDisconnect(at: now)
    }

    /// A deadline (or offline status) that is due by now but waits for proof that the broker
    /// delivered after it: the daemon sends a probe for it. nil while nothing waits.
    public func deadlineAwaitingDelivery(at now: Moment) -> Double? {
        guard collector.brokerConnected, let earliest = registry.earliestDeadline, earliest <= now.monotonic,
            earliest > collector.deadlineHorizon(at: now)
        else { return nil }
        return earliest
    }

    /// Writes succeed again: the storage incident resolves after `resolve_after_s`.
    public mutating func storageDidRecover(at now: Moment) -> [EngineEffect] {
        collector.storage(failing: false)
        incidents.clear(IncidentKey(rule: .storageFailure, scope: .collector), at: now)
        return []
    }
}

/// After a restart: storage-failure incidents the database never got.
extension DetectionEngine {
    /// The OPEN lines of storage-failure incidents that the alert log holds and the database
    /// does not: written before their commit, which is what failed, and then the daemon died.
    /// Each becomes an incident again, saved with its OPEN event (whose line is already written),
    /// and, since the store opened, clears: it resolves after `resolve_after_s` like any other.
    /// Other lines are never written before their commit and are not adopted.
    public mutating func adoptUnrecordedStorageFailures(_ opens: [AlertEvent], at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for open in opens.sorted(by: { $0.incidentID < $1.incidentID })
        where open.kind == .open && open.field("rule") == RuleID.storageFailure.rawValue {
            var incident = Incident(
                id: open.incidentID, priority: open.priority, rule: .storageFailure, scope: .collector,
                openedAt: open.time, respondBy: incidents.clocks.respondBy(openedAt: open.time),
                summary: open.field("msg") ?? "storage failure", announced: true)
            incident.resolveBy = incidents.clocks.resolveBy(openedAt: open.time)
            effects += [.saveIncident(incident), .announce(open)]
            effects += incidents.adopt(incident, at: now)
        }
        if !collector.storageFailing { incidents.clear(IncidentKey(rule: .storageFailure, scope: .collector), at: now) }
        return effects
    }
}
