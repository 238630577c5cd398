import FleetCore

extension StoreReader {
    /// Every channel row (channels the daemon has run with and not since removed).
    public func notifyChannels() throws -> [NotifyChannelState] { try NotifyQueries.channels(db) }

    /// Events the channel is yet to be told about: after its position and matching its filter.
    public func notifyPending(_ channel: NotifyChannel, after: Int64) throws -> Int {
        try NotifyQueries.pendingCount(db, channel, after: after)
    }

    /// False on a database from before notifications (the CLI opens old files read-only).
    public var hasNotifyChannels: Bool { (try? Schema.userVersion(db)) ?? 0 >= Schema.notifyChannelsVersion }
}
