/// The daemon's live counters, as stored in `daemon_status` for the CLI.
public struct DaemonStatus: Sendable, Equatable {
    public var pid: Int32
    public var startedAt: Double
    public var updatedAt: Double
    public var brokerConnected: Bool
    public var accepted: Int
    /// reason → count
    public var rejected: [String: Int]
    /// Auto-registered devices forgotten since the daemon started (`detection.forget_after_s`).
    public var forgotten: Int
    /// The broker's `$SYS` values as a JSON object (`BrokerStats.json`): `{}` until it publishes.
    public var brokerStats: String
    /// How long the oldest message of the last batch waited for the engine.
    public var ingestLagSeconds: Double
    /// How long the last database commit took.
    public var flushSeconds: Double
    /// What the node is to the database (SPEC §15); `single` in SQLite, which keeps one row.
    public var role: NodeRole
    /// The node the row is about (`ha.node`, default the host name); PostgreSQL keeps a row per node.
    public var node: String

    public init(
        pid: Int32, startedAt: Double, updatedAt: Double, brokerConnected: Bool, accepted: Int,
        rejected: [String: Int], forgotten: Int = 0, brokerStats: String = "{}", ingestLagSeconds: Double = 0,
        flushSeconds: Double = 0, role: NodeRole = .single, node: String = ""
    ) {
        self.pid = pid
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.brokerConnected = brokerConnected
        self.accepted = accepted
        self.rejected = rejected
        self.role = role
        self.node = node
        self.forgotten = forgotten
        self.brokerStats = brokerStats
        self.ingestLagSeconds = ingestLagSeconds
        self.flushSeconds = flushSeconds
    }

    /// `reason=count,reason=count`, sorted: small, and parseable without a JSON library.
    var encodedRejected: String {
        rejected.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    static func decodeRejected(_ text: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for pair in text.split(separator: ",") {
            let kv = pair.split(separator: "=")
            if kv.count == 2, let n = Int(kv[1]) { out[String(kv[0])] = n }
        }
        return out
    }
}
