import FleetCore
import SQLite

extension StoreWriter {
    /// Brings the channel rows in line with the configuration, at start and on reload, before the
    /// engine commits anything under it: a new channel starts after the newest committed event
    /// (it is not sent the history), a removed one's row and backlog are dropped. Renaming a
    /// channel is removing one and adding another.
    public func syncNotifyChannels(_ names: [String], at time: Double) throws {
        try db.transaction {
            let head = try NotifyQueries.head(db)
            let insert = try db.prepare(
                """
                INSERT INTO notify_channels(name, through, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT(name) DO NOTHING
                """)
            for name in names { try insert.run([.text(name), .integer(head), .real(time)]) }
            var stale: [String] = []
            try db.prepare("SELECT name FROM notify_channels").query { row in
                let name = row.text(0)
                if !names.contains(name) { stale.append(name) }
            }
            let delete = try db.prepare("DELETE FROM notify_channels WHERE name = ?1")
            for name in stale { try delete.run([.text(name)]) }
        }
    }
}
