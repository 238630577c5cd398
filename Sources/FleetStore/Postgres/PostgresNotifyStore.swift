import FleetCore
import Postgres

/// A notification channel's own session to the PostgreSQL store (what `NotifyStore` is for
/// SQLite): committed events after the channel's position, and moving that position. Positions
/// only move forward (`GREATEST`), so a node that delivered an event just before it lost the
/// active lock can still record it without moving a newer node's position back.
public final class PostgresNotifyStore: NotifyCursorStoring {
    let db: PostgresConnection
    public let instance: String

    public init(_ target: PostgresTarget, as client: String = "fleetwatchd notify") throws {
        db = try target.connect(as: client)
        guard try PostgresSchema.version(db) != nil else {
            throw StoreOpenError("no Fleetwatch schema in \(target) yet")
        }
        instance = try PostgresNotifyQueries.instance(db)
    }

    public func channel(_ name: String) throws -> NotifyChannelState? {
        try PostgresNotifyQueries.channels(db).first { $0.name == name }
    }

    public func events(
        for channel: NotifyChannel, after: Int64, limit: Int
    ) throws -> (events: [AlertEvent], head: Int64) {
        try db.transaction {
            try db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            let head = try PostgresNotifyQueries.head(db)
            let filter = PostgresNotifyQueries.filter(channel, after: after, through: head)
            let events = try db.query(
                "SELECT \(Rows.eventColumns) FROM events WHERE \(filter.sql) ORDER BY seq LIMIT \(limit)", filter.values
            ).map(Rows.event)
            return (events, head)
        }
    }

    public func pending(for channel: NotifyChannel, after: Int64) throws -> Int {
        try PostgresNotifyQueries.pendingCount(db, channel, after: after)
    }

    public func advance(_ name: String, through sequence: Int64, delivered: Int, at time: Double) throws {
        try db.query(
            """
            UPDATE notify_channels SET through = GREATEST(through, $2), delivered = delivered + $3, failing = 0,
              last_error = NULL, updated_at = $4 WHERE name = $1
            """, [.text(name), .integer(sequence), .integer(Int64(delivered)), .real(time)])
    }

    public func recordFailure(_ name: String, error: String, at time: Double) throws {
        try db.query(
            "UPDATE notify_channels SET failing = 1, last_error = $2, updated_at = $3 WHERE name = $1",
            [.text(name), .text(error), .real(time)])
    }

    public func incident(_ id: Int64) throws -> Incident? {
        try db.query("SELECT \(Rows.incidentColumns) FROM incidents WHERE id = $1", [.integer(id)]).first.map(
            Rows.incident)
    }

    public func announcedUnresolvedIncidents() throws -> [Incident] {
        try db.query(
            "SELECT \(Rows.incidentColumns) FROM incidents WHERE status <> 'resolved' AND announced = 1 ORDER BY id"
        ).map(Rows.incident)
    }

    public func deviceName(_ id: String) throws -> String? {
        try db.query("SELECT name FROM devices WHERE id = $1", [.text(id)]).first?.optionalText(0)
    }
}
