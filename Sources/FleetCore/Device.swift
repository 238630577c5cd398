public enum DeviceState: String, Sendable, Equatable, Codable, CaseIterable {
    /// `sleeping`: a device of a `sleep` kind gone silent while its site is closed (SPEC §10).
    case unknown, online, degraded, offline, maintenance, sleeping

    /// States the outage ratios leave out: the device is not expected to be up (SPEC §10).
    public var countsInRatios: Bool { self != .maintenance && self != .sleeping }
}

/// What is stored and listed about a device. The engine persists it on registration and on every
/// state change (`lastSeen` is flushed in batches); in memory it keeps each device in a compact
/// form (`TrackedDevice`, with the id, site, kind and name kept apart by `DeviceRegistry`) and
/// puts a record together when one is needed.
public struct DeviceRecord: Sendable, Equatable, Codable {
    public var id: String
    public var site: String
    public var kind: String
    public var name: String?
    public var firmware: String?
    public var stateSince: Double
    public var lastSeen: Double?
    /// Listed in `[[devices]]`, as opposed to registered on its first heartbeat.
    public var inventory: Bool
    public var state: DeviceState
    /// The device's `ts` was off from receive time by more than `max_clock_skew_s` last time.
    public var clockSkewed: Bool

    public init(
        id: String, site: String, kind: String, name: String? = nil, inventory: Bool,
        state: DeviceState, stateSince: Double, lastSeen: Double? = nil, clockSkewed: Bool = false,
        firmware: String? = nil
    ) {
        self.id = id
        self.site = site
        self.kind = kind
        self.name = name
        self.inventory = inventory
        self.state = state
        self.stateSince = stateSince
        self.lastSeen = lastSeen
        self.clockSkewed = clockSkewed
        self.firmware = firmware
    }
}
