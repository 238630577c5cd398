import FleetCore
import Postgres

/// `NotifyQueries` in PostgreSQL's words: a channel's filter (events after its position, of its
/// kinds and priorities, about its sites), its pending count, and the channel rows.
enum PostgresNotifyQueries {
    /// `seq > $1 AND seq <= $2 AND event = ANY($3) AND priority = ANY($4) [AND site matches]`.
    static func filter(
        _ channel: NotifyChannel, after: Int64, through head: Int64
    ) -> (sql: String, values: [PostgresValue]) {
        var values: [PostgresValue] = [
            .integer(after), .integer(head),
            .text(PostgresArray.literal(channel.events.map { Optional($0.rawValue) })),
            .text(PostgresArray.literal(channel.priorities.map { Optional($0.rawValue) })),
        ]
        var sql = "seq > $1 AND seq <= $2 AND event = ANY($3::text[]) AND priority = ANY($4::text[])"
        if !channel.sites.isEmpty {
            // Fields are pairs separated by U+001E, key and value by U+001F (EventFields).
            values.append(.text(PostgresArray.literal(channel.sites.map { Optional("\u{1E}site\u{1F}\($0)\u{1E}") })))
            sql +=
                " AND EXISTS (SELECT 1 FROM unnest($5::text[]) AS s(pair)"
                + " WHERE strpos(chr(30) || fields || chr(30), s.pair) > 0)"
        }
        return (sql, values)
    }

    static func head(_ db: PostgresConnection) throws -> Int64 {
        try db.query("SELECT COALESCE(MAX(seq), 0) FROM events").first?.int(0) ?? 0
    }

    static func pendingCount(_ db: PostgresConnection, _ channel: NotifyChannel, after: Int64) throws -> Int {
        let filter = filter(channel, after: after, through: Int64.max)
        return Int(try db.query("SELECT COUNT(*) FROM events WHERE \(filter.sql)", filter.values).first?.int(0) ?? 0)
    }

    static func channels(_ db: PostgresConnection) throws -> [NotifyChannelState] {
        try db.query(
            """
            SELECT name, through, delivered, failing, last_error, updated_at FROM notify_channels ORDER BY name COLLATE "C"
            """
        ).map {
            NotifyChannelState(
                name: $0.text(0), through: $0.int(1), delivered: Int($0.int(2)), failing: $0.int(3) != 0,
                lastError: $0.optionalText(4), updatedAt: $0.optionalDouble(5))
        }
    }

    static func instance(_ db: PostgresConnection) throws -> String {
        let value = try db.query("SELECT value FROM meta WHERE key = 'instance'").first?.int(0) ?? 0
        return String(UInt64(bitPattern: value), radix: 16)
    }
}
