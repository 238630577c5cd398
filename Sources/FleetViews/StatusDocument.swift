import FleetCore
import FleetStore
import SystemCalls

/// What `fleetwatch status` and `GET /api/v1/status` show, read from the store: devices per
/// site, kind and state, open incidents per priority, the daemon's status row, and the
/// notification channels the configuration names.
public struct StatusDocument: Sendable {
    public let counts: [(site: String, kind: String, state: DeviceState, count: Int)]
    public let openIncidents: [Priority: Int]
    public let status: DaemonStatus?
    /// The status row is fresh and its process exists.
    public let running: Bool
    /// The configured notification channels and where each stands (SPEC §14).
    public let channels: [NotifyChannelRow]
    /// What this node is (SPEC §15): `single` without `[ha]`; with it, the role its daemon
    /// reports, and `standby` when that daemon is not running (it holds no lock).
    public let role: NodeRole
    /// The node whose status this is (`ha.node`, default the host name).
    public let node: String

    /// The status row is rewritten every second; older than this means the daemon is gone.
    public static let staleAfter = 5.0

    public init(
        counts: [(site: String, kind: String, state: DeviceState, count: Int)], openIncidents: [Priority: Int],
        status: DaemonStatus?, running: Bool, channels: [NotifyChannelRow] = [], role: NodeRole = .single,
        node: String = ""
    ) {
        self.counts = counts
        self.openIncidents = openIncidents
        self.status = status
        self.running = running
        self.channels = channels
        self.role = role
        self.node = node
    }

    /// Reads the store; `now` is wall time (for the status row's freshness).
    public static func load(
        from store: any StoreReading, configuration: Configuration, now: Double
    ) throws
        -> StatusDocument
    {
        let node = configuration.ha.resolvedNode
        let status = try store.daemonStatus(node: node)
        let running = status.map { isRunning($0, now: now) } ?? false
        let role: NodeRole = configuration.ha.enabled ? (running ? status?.role ?? .standby : .standby) : .single
        return StatusDocument(
            counts: try store.deviceCounts(), openIncidents: try store.openIncidentCounts(),
            status: status, running: running, channels: try NotifyChannelRow.load(configuration, store),
            role: role, node: node)
    }

    public static func isRunning(_ status: DaemonStatus, now: Double) -> Bool {
        guard status.pid > 0, now - status.updatedAt < staleAfter else { return false }
        return ProcessControl.exists(status.pid)
    }

    public var pid: Int32? { running ? status?.pid : nil }
    public var brokerConnected: Bool { running && status?.brokerConnected == true }

    public var devicesByState: [DeviceState: Int] {
        var byState: [DeviceState: Int] = [:]
        for c in counts { byState[c.state, default: 0] += c.count }
        return byState
    }

    /// The JSON object of SPEC §8 (without a newline).
    public func json(_ render: JSONRendering) -> String {
        let byState = devicesByState
        let devices = DeviceState.allCases.map { ($0.rawValue, JSONText.Value.int(Int64(byState[$0] ?? 0))) }
        let open = Priority.allCases.map { ($0.rawValue, JSONText.Value.int(Int64(openIncidents[$0] ?? 0))) }
        let rejected = (status?.rejected ?? [:]).sorted { $0.key < $1.key }.map {
            ($0.key, JSONText.Value.int(Int64($0.value)))
        }
        let sites = counts.map {
            JSONText.object([
                ("site", .string($0.site)), ("kind", .string($0.kind)),
                ("state", .string($0.state.rawValue)), ("count", .int(Int64($0.count))),
            ])
        }
        return JSONText.object([
            ("daemon", .string(running ? "running" : "stopped")),
            ("role", .string(role.rawValue)),
            ("node", .string(node)),
            ("broker", .string(brokerConnected ? "connected" : "disconnected")),
            ("devices", .raw(JSONText.object(devices))),
            ("incidents", .raw(JSONText.object(open))),
            (
                "messages",
                .raw(
                    JSONText.object([
                        ("accepted", .int(Int64(status?.accepted ?? 0))), ("rejected", .raw(JSONText.object(rejected))),
                    ]))
            ),
            ("devices_forgotten", .int(Int64(status?.forgotten ?? 0))),
            // The broker's $SYS values and the daemon's own lags (SPEC §11): live only while it runs.
            ("broker_stats", .raw(running ? status?.brokerStats ?? "{}" : "{}")),
            (
                "lag",
                .raw(
                    JSONText.object([
                        ("ingest_s", running ? JSONRendering.number(status?.ingestLagSeconds ?? 0, 1e6) : .null),
                        ("flush_s", running ? JSONRendering.number(status?.flushSeconds ?? 0, 1e6) : .null),
                    ]))
            ),
            ("pid", pid.map { .int(Int64($0)) } ?? .null),
            ("updated_at", render.timestamp(status?.updatedAt)),
            ("by_site", .raw(JSONText.array(sites))),
            ("notify", .raw(JSONText.array(channels.map { JSONText.object($0.statusPairs) }))),
        ])
    }
}
