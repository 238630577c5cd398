import FleetCore

/// What a notification channel's worker needs (SPEC §14): the committed events after its durable
/// position, the incidents they are about, and moving that position. Each worker has its own
/// (`NotifyStore` for SQLite, `PostgresNotifyStore`), on its own thread, never the engine's.
public protocol NotifyCursorStoring: AnyObject {
    /// The database's instance id as hex: part of every notification id.
    var instance: String { get }
    func channel(_ name: String) throws -> NotifyChannelState?
    /// Up to `limit` events for `channel` after `after`, oldest first, and the newest committed
    /// sequence looked at.
    func events(for channel: NotifyChannel, after: Int64, limit: Int) throws -> (events: [AlertEvent], head: Int64)
    func pending(for channel: NotifyChannel, after: Int64) throws -> Int
    /// The channel is done through `sequence`; never moves back.
    func advance(_ name: String, through sequence: Int64, delivered: Int, at time: Double) throws
    func recordFailure(_ name: String, error: String, at time: Double) throws
    func incident(_ id: Int64) throws -> Incident?
    /// Unresolved incidents whose OPEN line was written.
    func announcedUnresolvedIncidents() throws -> [Incident]
    func deviceName(_ id: String) throws -> String?
}
