import FleetCore
import SQLite

/// The SQL a channel's filter becomes, shared by the notifier (what to send next) and the CLI
/// (how much is pending): events after the channel's position, of its kinds and priorities,
/// about its sites. Sites are matched inside the stored fields (`EventFields`: pairs separated
/// by U+001E, key and value by U+001F).
enum NotifyQueries {
    struct Filter {
        let sql: String
        let values: [SQLValue]
    }

    /// `seq > ?1 AND seq <= ?2 AND event IN (…) AND priority IN (…) [AND site matches]`.
    static func filter(_ channel: NotifyChannel, after: Int64, through head: Int64) -> Filter {
        var values: [SQLValue] = [.integer(after), .integer(head)]
        func placeholders(_ texts: [String]) -> String {
            texts.map { text in
                values.append(.text(text))
                return "?\(values.count)"
            }.joined(separator: ",")
        }
        var sql = "seq > ?1 AND seq <= ?2"
        sql += " AND event IN (\(placeholders(channel.events.map(\.rawValue))))"
        sql += " AND priority IN (\(placeholders(channel.priorities.map(\.rawValue))))"
        if !channel.sites.isEmpty {
            let pairs = placeholders(channel.sites.map { "\u{1E}site\u{1F}\($0)\u{1E}" }).split(separator: ",")
            sql +=
                " AND ("
                + pairs.map { "instr(char(30) || fields || char(30), \($0)) > 0" }
                .joined(separator: " OR ") + ")"
        }
        return Filter(sql: sql, values: values)
    }

    static func head(_ db: Database) throws -> Int64 {
        var head: Int64 = 0
        try db.prepare("SELECT COALESCE(MAX(seq), 0) FROM events").query { head = $0.int(0) }
        return head
    }

    static func pendingCount(_ db: Database, _ channel: NotifyChannel, after: Int64) throws -> Int {
        let filter = filter(channel, after: after, through: Int64.max)
        var count = 0
        try db.prepare("SELECT COUNT(*) FROM events WHERE \(filter.sql)").query(filter.values) {
            count = Int($0.int(0))
        }
        return count
    }

    static func channels(_ db: Database) throws -> [NotifyChannelState] {
        var out: [NotifyChannelState] = []
        try db.prepare(
            "SELECT name, through, delivered, failing, last_error, updated_at FROM notify_channels ORDER BY name"
        )
        .query {
            out.append(
                NotifyChannelState(
                    name: $0.text(0), through: $0.int(1), delivered: Int($0.int(2)),
                    failing: $0.int(3) != 0, lastError: $0.optionalText(4),
                    updatedAt: $0.optionalDouble(5)))
        }
        return out
    }

    /// The database's instance id as hex: part of every notification id.
    static func instance(_ db: Database) throws -> String {
        var value: Int64 = 0
        try db.prepare("SELECT value FROM meta WHERE key = 'instance'").query { value = $0.int(0) }
        return String(UInt64(bitPattern: value), radix: 16)
    }
}

/// A channel's durable position and what `fleetwatch status` shows of it.
public struct NotifyChannelState: Sendable, Equatable {
    public var name: String
    /// The last event sequence the channel is done with (answered 2xx, or not for it).
    public var through: Int64
    /// Events answered 2xx since the channel was added.
    public var delivered: Int
    public var failing: Bool
    /// Already redacted (no URL credentials, no secrets).
    public var lastError: String?
    public var updatedAt: Double?

    public init(name: String, through: Int64, delivered: Int, failing: Bool, lastError: String?, updatedAt: Double?) {
        self.name = name
        self.through = through
        self.delivered = delivered
        self.failing = failing
        self.lastError = lastError
        self.updatedAt = updatedAt
    }
}
