import FleetCore

// The SQLite classes are the default implementations of the storage boundary; their methods
// already have the shapes the protocols name.

extension StoreWriter: StoreWriting, HistoryStoring {}

extension StoreReader: StoreReading, HistoryReading {
    /// SQLite keeps one status row: the database belongs to one daemon.
    public func daemonStatus(node: String) throws -> DaemonStatus? { try daemonStatus() }
}

extension NotifyStore: NotifyCursorStoring {}
