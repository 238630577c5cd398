import FleetCore
import FleetStore

/// Each configured channel as `status` (and `/api/v1/status`) and `notify list` show it: its
/// position's counters from the database, and how many committed events it has yet to deliver.
/// Works with the daemon stopped. URLs are shown redacted; secrets never.
public struct NotifyChannelRow: Sendable {
    public let channel: NotifyChannel
    /// nil: the daemon has not run with this channel yet.
    public let state: NotifyChannelState?
    public let pending: Int

    public static func load(_ configuration: Configuration, _ store: StoreReader) throws -> [NotifyChannelRow] {
        guard !configuration.notify.isEmpty, store.hasNotifyChannels else {
            return configuration.notify.map { NotifyChannelRow(channel: $0, state: nil, pending: 0) }
        }
        let states = Dictionary(try store.notifyChannels().map { ($0.name, $0) }) { first, _ in first }
        return try configuration.notify.map { channel in
            let state = states[channel.name]
            let pending = try state.map { try store.notifyPending(channel, after: $0.through) } ?? 0
            return NotifyChannelRow(channel: channel, state: state, pending: pending)
        }
    }

    /// `{name, delivered, pending, failing, last_error}` (SPEC §14).
    public var statusPairs: [(String, JSONText.Value)] {
        [
            ("name", .string(channel.name)), ("delivered", .int(Int64(state?.delivered ?? 0))),
            ("pending", .int(Int64(pending))), ("failing", .bool(state?.failing ?? false)),
            ("last_error", .optional(state?.lastError)),
        ]
    }

    public var target: String {
        switch channel.type {
        case .webhook, .alertmanager: NotifyRedaction.url(channel.url)
        case .command: channel.command.first ?? ""
        }
    }

    public var condition: String {
        guard let state else { return "not started" }
        return state.failing ? "failing" : "ok"
    }
}
