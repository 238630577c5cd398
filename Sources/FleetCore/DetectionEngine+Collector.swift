extension DetectionEngine {
    /// `broker-unreachable`: P1 once the broker has been unreachable for `broker_down_p1_after_s`,
    /// counted from the moment the connection was lost or, at start, from the first attempt.
    mutating func checkBrokerUnreachable(at now: Moment) {
        guard !brokerConnected, let since = disconnectedSince else { return }
        let down = now.monotonic - since
        guard down >= configuration.detection.brokerDownP1AfterSeconds else { return }
        raise(rule: "broker-unreachable", priority: .p1, scope: .collector,
              summary: "broker \(configuration.mqtt.host):\(configuration.mqtt.port) unreachable for \(Self.seconds(down))",
              at: now)
    }

    /// Seconds the broker has been unreachable, nil while connected.
    public func brokerDownFor(at now: Moment) -> Double? {
        disconnectedSince.map { now.monotonic - $0 }
    }

    /// The database or the alert log cannot be written: a P1 about the watcher itself.
    public mutating func storageDidFail(_ reason: String, at now: Moment) -> [EngineEffect] {
        storageFailing = true
        raise(rule: "storage-failure", priority: .p1, scope: .collector, summary: reason, at: now)
        return takeEffects()
    }

    /// Writes succeed again: the storage incident resolves after `resolve_after_s`.
    public mutating func storageDidRecover(at now: Moment) -> [EngineEffect] {
        storageFailing = false
        clear(IncidentKey(rule: "storage-failure", scope: .collector), at: now)
        return takeEffects()
    }
}
