import FleetCore

/// What the daemon's engine loop needs from storage: the single writer (SPEC §7, §15). SQLite's
/// `StoreWriter` and `PostgresStoreWriter` implement it; `Persistence` (FleetDaemon) uses
/// nothing else. Everything runs on the engine loop's thread, one call at a time. Both keep
/// metric history too (`HistoryStoring`).
///
/// Commit before announce: `commit` returns the announced events with the sequence numbers the
/// store gave them, and only then are their lines written and `markAnnounced` called.
public protocol StoreWriting: HistoryStoring {
    /// The registry, every unresolved incident, recent device failures (for `repeated-failure`),
    /// current maintenance windows, and the next ids: what an engine starts from.
    func restore(failuresSince: Double) throws -> RestoredState
    /// One transaction: every effect, in order, and the `last_seen` updates. Throws
    /// `StoreFailure.notActive` when the writer is not (or no longer) the active node.
    func commit(_ effects: [EngineEffect], lastSeen: [(String, Double)]) throws -> [AlertEvent]
    /// Committed events after the announcement cursor (their lines may be missing).
    func unannouncedEvents() throws -> [AlertEvent]
    /// Moves the announcement cursor; never back.
    func markAnnounced(through sequence: Int64) throws
    /// This node's live counters, about once a second.
    func writeStatus(_ status: DaemonStatus) throws
    /// This node's status row says stopped.
    func writeStopped(at time: Double) throws
    /// Notification channel rows follow the configuration (start, reload).
    func syncNotifyChannels(_ names: [String], at time: Double) throws
    /// The devices' last in-memory values (data quality, issue 13), when the daemon stops.
    func saveDetails(_ details: [DeviceDetail]) throws
    /// The newest committed event's time (nil: none): whether the alert log knows ids the store does not.
    func newestEventTime() throws -> Double?
    /// Stored forecasts of kinds that no longer have them go; `names` is each kind's forecasts.
    func keepOnlyForecasts(_ names: [String: [String]]) throws
}

/// Why a commit did not happen, beyond the store's own errors: the daemon reacts to these by
/// role, not by raising `storage-failure`.
public enum StoreFailure: Error, CustomStringConvertible, Sendable, Equatable {
    /// The session that commits does not hold the active node's lock (it was never granted, or
    /// the connection that held it is gone): nothing was written, and this node must stop
    /// writing and announcing.
    case notActive(String)

    public var description: String {
        switch self {
        case .notActive(let why): "not the active node: \(why)"
        }
    }
}
