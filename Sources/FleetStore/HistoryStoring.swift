import FleetCore

/// What the daemon's history writer (`HistoryWriter`, issue 15) needs from the store it writes
/// to: SQLite's `StoreWriter` and `PostgresStoreWriter` both keep metric history. Called on the
/// engine loop's thread, after its commit; each call is one short transaction (on PostgreSQL a
/// fenced one, like every write of the active node).
public protocol HistoryStoring: AnyObject {
    /// Turns samples into rows sorted by key, interning new device and metric names.
    func prepareHistory(_ samples: [HistorySample]) throws -> [HistoryRow]
    /// Sample rows, a rollup batch (and how far rollups have got), bounded deletions.
    func writeHistory(_ write: HistoryWrite) throws -> HistoryWriteResult
    /// Every hour before this is rolled up (0: none yet).
    func historyHoursThrough() throws -> Int64
}
