/// One `[[notify]]` channel (SPEC §14): where the daemon tells people about alert events, and
/// which events it tells. Validated by FleetConfig; delivered by the daemon's Notifier.
public struct NotifyChannel: Sendable, Equatable {
    public enum ChannelType: String, Sendable, Equatable, CaseIterable {
        case webhook, alertmanager, command
    }

    /// The body of a webhook: our JSON, or a WeCom / DingTalk group robot's markdown message.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        case json, wecom, dingtalk
    }

    public static let defaultEvents: [AlertEvent.Kind] = [.open, .escalate, .slaWarning, .slaBreach, .resolve]

    /// Unique; names the channel in `status`, metrics and `notify test NAME`, and keys its cursor.
    public var name = ""
    public var type = ChannelType.webhook
    public var url = ""
    public var format = Format.json
    /// Set: every request carries `X-Fleetwatch-Signature: sha256=HMAC-SHA256(secret, body)`.
    public var secretFile = ""
    /// `command` channels: argv, run without a shell, the JSON body on standard input.
    public var command: [String] = []
    public var events: [AlertEvent.Kind] = NotifyChannel.defaultEvents
    public var priorities: [Priority] = Priority.allCases
    /// Empty: every site. Otherwise only events about these sites (fleet-wide and collector
    /// incidents have no site and go only to channels without a site filter).
    public var sites: [String] = []
    public var timeoutSeconds = 10.0
    /// Alertmanager: open incidents are posted again this often.
    public var resendSeconds = 60.0

    public init() {}

    /// Whether this channel is told about `event` (by kind, priority and site).
    public func wants(_ event: AlertEvent) -> Bool {
        guard events.contains(event.kind), priorities.contains(event.priority) else { return false }
        guard !sites.isEmpty else { return true }
        return event.field("site").map(sites.contains) ?? false
    }
}
