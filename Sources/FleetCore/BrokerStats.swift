/// What the broker says about itself under `$SYS/broker/` (mosquitto publishes it every
/// `sys_interval`, retained, each value only when it changed): the part of it `fleetwatch status`
/// shows as `broker_stats` and the metrics endpoint exports. A value the broker never published
/// is nil, and left out.
public struct BrokerStats: Sendable, Equatable {
    public var clientsConnected: Int?
    public var messagesDropped: Int?
    public var messagesReceived: Int?
    public var messagesSent: Int?
    public var uptimeSeconds: Int?
    public var version: String?

    public init() {}

    public var isEmpty: Bool { self == BrokerStats() }

    /// The `$SYS/broker/…` topics kept, by the part after `$SYS/broker/`.
    enum Topic: String, CaseIterable {
        case clientsConnected = "clients/connected"
        case messagesDropped = "publish/messages/dropped"
        case messagesReceived = "messages/received"
        case messagesSent = "messages/sent"
        case uptime = "uptime"
        case version = "version"
    }

    /// `{"clients_connected":3,"messages_dropped":0,…}`: only the values the broker published.
    public var json: String {
        var pairs: [(String, JSONText.Value)] = []
        func add(_ key: String, _ value: Int?) { if let value { pairs.append((key, .int(Int64(value)))) } }
        add("clients_connected", clientsConnected)
        add("messages_dropped", messagesDropped)
        add("messages_received", messagesReceived)
        add("messages_sent", messagesSent)
        add("uptime_s", uptimeSeconds)
        if let version { pairs.append(("version", .string(version))) }
        return JSONText.object(pairs)
    }
}
