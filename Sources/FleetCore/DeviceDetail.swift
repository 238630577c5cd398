/// One device in full, as `fleetwatch device` shows it (SPEC §11): the stored record and what
/// lives only in the daemon's memory (health, uptime, active error codes, last metrics, link
/// quality). The daemon builds it live; with the daemon stopped the CLI builds it from the
/// database, where the daemon leaves the last values when it stops (`live` false, `asOf` then).
public struct DeviceDetail: Sendable, Equatable, Codable {
    public var record: DeviceRecord
    /// The last heartbeat's `health`; nil when not heard since the daemon started.
    public var health: Heartbeat.Health?
    public var uptimeSeconds: Double?
    public var errors: [String]
    public var metrics: [Metric]
    public var quality: LinkStats
    public var windowSeconds: Double
    /// Ids of the device's unresolved incidents.
    public var openIncidents: [Int64]
    /// Wall time the values are from.
    public var asOf: Double
    /// From the running daemon (as opposed to its last values in the database).
    public var live: Bool

    public init(
        record: DeviceRecord, health: Heartbeat.Health? = nil, uptimeSeconds: Double? = nil,
        errors: [String] = [], metrics: [Metric] = [], quality: LinkStats = LinkStats(),
        windowSeconds: Double, openIncidents: [Int64] = [], asOf: Double, live: Bool
    ) {
        self.record = record
        self.health = health
        self.uptimeSeconds = uptimeSeconds
        self.errors = errors
        self.metrics = metrics
        self.quality = quality
        self.windowSeconds = windowSeconds
        self.openIncidents = openIncidents
        self.asOf = asOf
        self.live = live
    }
}

/// One row of `fleetwatch quality`.
public struct QualityRow: Sendable, Equatable, Codable {
    public var id: String
    public var site: String
    public var kind: String
    public var quality: LinkStats

    public init(id: String, site: String, kind: String, quality: LinkStats) {
        self.id = id
        self.site = site
        self.kind = kind
        self.quality = quality
    }

    /// Worst `loss_ratio` first, then by id.
    public static func worstFirst(_ a: QualityRow, _ b: QualityRow) -> Bool {
        let ra = a.quality.lossRatio
        let rb = b.quality.lossRatio
        return ra != rb ? ra > rb : a.id < b.id
    }
}
