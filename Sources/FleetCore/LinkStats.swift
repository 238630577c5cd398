/// One device's link quality as `fleetwatch device` and `fleetwatch quality` show it (SPEC §11):
/// counts over about the last `quality_window_s`, decayed to the moment they are read.
public struct LinkStats: Sendable, Equatable, Codable {
    public var received: Double
    public var lost: Double
    public var duplicates: Double
    public var outOfOrder: Double
    public var reboots: Int
    /// Receive time − `ts`, in ms; nil when no heartbeat carried `ts`.
    public var latencyP50: Double?
    public var latencyP95: Double?

    public init(
        received: Double = 0, lost: Double = 0, duplicates: Double = 0, outOfOrder: Double = 0,
        reboots: Int = 0, latencyP50: Double? = nil, latencyP95: Double? = nil
    ) {
        self.received = received
        self.lost = lost
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.reboots = reboots
        self.latencyP50 = latencyP50
        self.latencyP95 = latencyP95
    }

    /// Heartbeats the device sent in the window, as far as `seq` tells.
    public var expected: Double { received + lost }

    /// `lost / (received + lost)`, 0 when nothing was expected.
    public var lossRatio: Double { expected > 0 ? lost / expected : 0 }
}

/// Fleet-wide counts since the daemon started, for the metrics endpoint (no per-device labels).
public struct LinkTotals: Sendable, Equatable {
    public var lost = 0
    public var reboots = 0
    public var duplicates = 0
    public init() {}
}
