/// What the daemon reads off the engine for status, metrics and the database flush.
extension DetectionEngine {
    public var deviceCount: Int { registry.count }
    public var unresolvedIncidents: [Incident] { Array(incidents.unresolved.values) }
    public var brokerConnected: Bool { collector.brokerConnected }
    public var storageFailing: Bool { collector.storageFailing }
    /// Monotonic instant before which no device is declared offline by timeout.
    public var graceEnd: Double { collector.graceEnd }

    public func device(_ id: String) -> DeviceRecord? { registry.slot(of: id).map { registry.record($0) } }

    public func stateCounts() -> [DeviceState: Int] { registry.stateCounts() }

    public func openIncidentCounts() -> [Priority: Int] { incidents.openCounts() }

    /// Devices whose `ts` was off by more than `max_clock_skew_s`: a data-quality problem.
    public var clockSkewedDevices: Int { registry.clockSkewedCount }

    /// Seconds the broker has been unreachable, nil while connected.
    public func brokerDownFor(at now: Moment) -> Double? { collector.brokerDownFor(at: now) }

    /// Unresolved incidents of forecasts (`fleetwatch_forecasts_open`).
    public var openForecastCount: Int {
        incidents.unresolved.values.reduce(0) { $0 + (forecaster.isForecast($1.condition, kind: $1.kind) ? 1 : 0) }
    }

    /// Each kind's forecast names: what is stored about any other forecast can go (after a reload,
    /// a kind change).
    public var forecastNamesByKind: [String: [String]] { forecaster.namesByKind }

    /// Forecast tracks allocated (devices × forecasts whose metric has moved).
    public var forecastTracks: Int { forecaster.tracksAllocated }

    /// History samples taken since the last call, oldest first, for the daemon's batched writer.
    public mutating func takeHistorySamples() -> [HistorySample] { history.take() }

    /// History samples dropped because the daemon did not take them (a database failing for long).
    public var historySamplesDropped: Int { history.dropped }

    /// (id, last seen) of devices heard since the previous call, for a batched flush.
    public mutating func takeLastSeenUpdates() -> [(String, Double)] { registry.takeLastSeenUpdates() }

    /// At most `limit` of the oldest dirty entries (FIFO), so a flush is spread over loop turns.
    public mutating func takeLastSeenUpdates(limit: Int) -> [(String, Double)] {
        registry.takeLastSeenUpdates(limit: limit)
    }
}
