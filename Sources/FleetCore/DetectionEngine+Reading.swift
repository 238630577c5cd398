/// What the daemon reads off the engine for status, metrics and the database flush.
extension DetectionEngine {
    public var deviceCount: Int { registry.count }
    /// Devices registered since the engine started (a forgotten slot taken again counts too).
    public var registrations: Int { registry.registrations }
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
        incidents.unresolved.countsByCondition.reduce(0) {
            $0 + (forecaster.isForecast($1.key.condition, kind: $1.key.kind) ? $1.value : 0)
        }
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

    /// Starts a flush round: each device's `last_seen` goes out at most once a round.
    public mutating func beginLastSeenRound() { registry.beginLastSeenRound() }

    /// At most `limit` of the round's oldest dirty entries (FIFO), so a flush is spread over loop
    /// turns.
    public mutating func takeLastSeenUpdates(limit: Int) -> [(String, Double)] {
        registry.takeLastSeenUpdates(limit: limit)
    }
}

/// What `fleetwatch device`, `fleetwatch quality`, `status` and the metrics read about the link.
extension DetectionEngine {
    /// Fleet-wide lost, duplicated heartbeats and reboots since start.
    public var linkTotals: LinkTotals { quality.links.totals }

    /// Devices whose `data-loss` condition holds now.
    public var devicesWithDataLoss: Int { quality.links.dataLossCount }

    /// The broker's own `$SYS` values, as last published.
    public var brokerStats: BrokerStats { quality.broker.stats }

    public var qualityWindowSeconds: Double { quality.links.windowSeconds }

    /// One device in full, live; nil for an unknown id.
    public func detail(of id: String, at now: Moment) -> DeviceDetail? {
        guard let slot = registry.slot(of: id) else { return nil }
        let open = incidents.unresolved.values.filter { $0.scope == .device && $0.device == id }.map(\.id).sorted()
        return detail(slot, openIncidents: open, at: now)
    }

    /// Every device heard since start, in full (what the daemon leaves in the database when it
    /// stops, for `fleetwatch device` and `quality` while it is stopped).
    public func heardDetails(at now: Moment) -> [DeviceDetail] {
        var out: [DeviceDetail] = []
        for i in registry.devices.indices
        where registry.devices[i].lastSeenMonotonic != nil && !registry.devices[i].forgotten {
            out.append(detail(DeviceSlot(i), openIncidents: [], at: now))
        }
        return out
    }

    func detail(_ slot: DeviceSlot, openIncidents: [Int64], at now: Moment) -> DeviceDetail {
        let tracked = registry[slot]
        let heard = tracked.lastSeenMonotonic != nil
        return DeviceDetail(
            record: registry.record(slot), health: heard ? tracked.health : nil,
            uptimeSeconds: quality.links.uptime(slot),
            errors: quality.errors.codes(slot), metrics: quality.metrics.metrics(slot),
            quality: quality.links.stats(slot, at: now.monotonic), windowSeconds: quality.links.windowSeconds,
            openIncidents: openIncidents, asOf: now.wall, live: true)
    }

    /// `fleetwatch quality`: one row per device of `site` and `kind` (nil: all), in registry order:
    /// sorting 100,000 rows (`QualityRow.worstFirst`) is left to whoever is not the engine loop.
    public func qualityRows(site: String?, kind: String?, at now: Moment) -> [QualityRow] {
        var rows: [QualityRow] = []
        for i in registry.devices.indices where !registry.devices[i].forgotten {
            let slot = DeviceSlot(i)
            let deviceSite = registry.site(slot)
            let deviceKind = registry.kindName(slot)
            if let site, deviceSite != site { continue }
            if let kind, deviceKind != kind { continue }
            rows.append(
                QualityRow(
                    id: registry.id(slot), site: deviceSite, kind: deviceKind,
                    quality: quality.links.stats(slot, at: now.monotonic)))
        }
        return rows
    }
}
