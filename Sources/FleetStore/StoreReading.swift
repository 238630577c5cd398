import FleetCore

/// What the CLI, the report, the status page and the read API read (SPEC §8, §13, §16). The
/// SQLite `StoreReader` and `PostgresStoreReader` implement it; both work with the daemon
/// stopped, and neither writes. One reader per thread. Metric history is read through the same
/// reader (`HistoryReading`).
public protocol StoreReading: HistoryReading {
    func devices(site: String?, kind: String?, state: DeviceState?) throws -> [DeviceRecord]
    func incidents(includeResolved: Bool, priority: Priority?) throws -> [Incident]
    func incident(_ id: Int64) throws -> Incident?
    func children(of id: Int64) throws -> [Incident]
    func events(of id: Int64) throws -> [AlertEvent]
    /// (site, kind, state) → count, ordered by site, kind, state.
    func deviceCounts() throws -> [(site: String, kind: String, state: DeviceState, count: Int)]
    func openIncidentCounts() throws -> [Priority: Int]
    /// Maintenance windows not removed and not over at `now` (wall).
    func maintenanceWindows(current now: Double) throws -> [MaintenanceWindow]
    /// The status row of `node` (PostgreSQL keeps one per node; SQLite one, whatever the node).
    func daemonStatus(node: String) throws -> DaemonStatus?
    func notifyChannels() throws -> [NotifyChannelState]
    func notifyPending(_ channel: NotifyChannel, after: Int64) throws -> Int
    /// False on a database from before notifications.
    var hasNotifyChannels: Bool { get }
    /// Everything the inspection report of [from, to) needs.
    func reportRows(from: Double, to: Double, site: String?) throws -> ReportRows
    func stateHistorySince() throws -> Double?
    /// The `ACK`, `DISPATCH` and `ARRIVE` events of unresolved incidents, oldest first.
    func operatorActionsOfUnresolvedIncidents() throws -> [AlertEvent]
    /// Events since `since` (wall time), counted by kind and priority.
    func eventCounts(since: Double) throws -> [EventCount]
    /// Runs `body`'s reads in one read transaction, so they all see the same committed state.
    func consistently<T>(_ body: () throws -> T) throws -> T
    /// One device in full as the daemon left it when it last stopped (data quality, issue 13).
    func detail(of id: String, windowSeconds: Double) throws -> DeviceDetail?
    /// `fleetwatch quality` from the values the daemon left when it last stopped, worst loss first.
    func qualityRows(site: String?, kind: String?, windowSeconds: Double) throws -> [QualityRow]
    /// When the daemon last left its in-memory values (nil: never).
    func detailsAsOf() throws -> Double?
    /// One device's registry row.
    func device(_ id: String) throws -> DeviceRecord?
    /// Each device's forecasts (issue 15) as last stored, by device and name; one device's with `device`.
    func forecasts(device: String?) throws -> [ForecastStatus]
}
