import FleetCore
import SQLite

/// The notifier's own connection to the daemon's database: it reads committed events and
/// incidents, and moves its channels' positions. A second connection rather than the engine's:
/// the engine loop never waits for a receiver, and a position written right after the 2xx
/// leaves the smallest window in which a crash makes an event go out twice. Its writes are one
/// small row each, so the engine's commits rarely meet its lock (and then for microseconds).
public final class NotifyStore {
    let db: Database
    public let instance: String

    /// Opens a database the daemon's `StoreWriter` has already created and migrated.
    public init(path: String) throws {
        db = try Database(path: path)
        // Synchronous is per connection. FULL (the default) would fsync the WAL at every position
        // moved, with the write lock held, and a burst of deliveries would then keep the engine's
        // commits waiting (measured: offline detection p99 400+ ms while 10,000 OPENs went out).
        // NORMAL is the writer's own setting: durable across a crash of the daemon; a power loss
        // may lose the last positions, and those events are sent again (at least once).
        try db.execute("PRAGMA synchronous=NORMAL")
        try db.setBusyTimeout(milliseconds: 2000)  // only this thread waits, never the engine
        instance = try NotifyQueries.instance(db)
    }

    public func channel(_ name: String) throws -> NotifyChannelState? {
        try NotifyQueries.channels(db).first { $0.name == name }
    }

    /// Up to `limit` events for `channel` after `after`, oldest first, and the newest committed
    /// sequence looked at: when nothing matches, the channel is done through `head`.
    public func events(
        for channel: NotifyChannel, after: Int64, limit: Int
    ) throws -> (events: [AlertEvent], head: Int64) {
        // One snapshot for the head and the rows, without the write lock: reading is no reason
        // for the engine's next commit to wait.
        try db.readTransaction {
            let head = try NotifyQueries.head(db)
            let filter = NotifyQueries.filter(channel, after: after, through: head)
            var events: [AlertEvent] = []
            try db.prepare("SELECT \(Rows.eventColumns) FROM events WHERE \(filter.sql) ORDER BY seq LIMIT \(limit)")
                .query(filter.values) { events.append(Rows.event($0)) }
            return (events, head)
        }
    }

    public func pending(for channel: NotifyChannel, after: Int64) throws -> Int {
        try NotifyQueries.pendingCount(db, channel, after: after)
    }

    /// The channel is done through `sequence`: `delivered` more were answered 2xx. Never moves back.
    public func advance(_ name: String, through sequence: Int64, delivered: Int, at time: Double) throws {
        try db.prepare(
            """
            UPDATE notify_channels SET through = MAX(through, ?2), delivered = delivered + ?3, failing = 0,
              last_error = NULL, updated_at = ?4 WHERE name = ?1
            """
        ).run([.text(name), .integer(sequence), .integer(Int64(delivered)), .real(time)])
    }

    /// The last attempt failed; `error` is already redacted.
    public func recordFailure(_ name: String, error: String, at time: Double) throws {
        try db.prepare("UPDATE notify_channels SET failing = 1, last_error = ?2, updated_at = ?3 WHERE name = ?1")
            .run([.text(name), .text(error), .real(time)])
    }

    public func incident(_ id: Int64) throws -> Incident? {
        var found: Incident?
        try db.prepare("SELECT \(Rows.incidentColumns) FROM incidents WHERE id = ?1").query([.integer(id)]) {
            found = Rows.incident($0)
        }
        return found
    }

    /// Unresolved incidents whose OPEN line was written: what Alertmanager is told again and again.
    public func announcedUnresolvedIncidents() throws -> [Incident] {
        var out: [Incident] = []
        try db.prepare(
            "SELECT \(Rows.incidentColumns) FROM incidents WHERE status != 'resolved' AND announced = 1 ORDER BY id"
        )
        .query { out.append(Rows.incident($0)) }
        return out
    }

    /// Display names of devices, for messages people read.
    public func deviceName(_ id: String) throws -> String? {
        var name: String?
        try db.prepare("SELECT name FROM devices WHERE id = ?1").query([.text(id)]) { name = $0.optionalText(0) }
        return name
    }
}
