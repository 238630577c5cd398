import FleetCore

/// Everything the report is computed from: rows from the store and the configuration's
/// calendar and names. Building a report reads nothing else (no clock, no files), so the same
/// input gives the same document.
public struct ReportInput: Sendable {
    public var period: ReportPeriod
    /// The `[sla]` calendar and zone: service time, and how times are shown.
    public var sla: SLASettings
    public var language: ReportLanguage
    /// Only this site's devices and incidents (`--site`); nil: the whole fleet.
    public var site: String?
    /// Site id → display name (`[sites.ID] name`).
    public var siteNames: [String: String]
    /// `escalation.repeat_failures`: this many problems of one device is a repeated failure.
    public var repeatFailures: Int
    /// When the report was made (shown on it, and the end of incidents still open).
    public var generatedAt: Double
    /// When state history began; nil when the database has none.
    public var historySince: Double?
    public var devices: [DeviceRecord]
    /// Each device's state at `period.from`; a device without one did not exist yet (or its
    /// history had not begun).
    public var stateAtStart: [String: String]
    /// Each device's state changes inside the period, oldest first.
    public var changes: [String: [DeviceStateChange]]
    public var incidents: [Incident]
    public var events: [Int64: [AlertEvent]]
    public var maintenance: [MaintenanceWindow]
    /// Reboots per device in the period, where the store knows them (data quality, SPEC §11);
    /// a device absent here has `reboots: null` in the report.
    public var reboots: [String: Int]

    public init(
        period: ReportPeriod, sla: SLASettings = SLASettings(), language: ReportLanguage = .zhCN,
        site: String? = nil, siteNames: [String: String] = [:], repeatFailures: Int = 3,
        generatedAt: Double, historySince: Double?, devices: [DeviceRecord],
        stateAtStart: [String: String] = [:], changes: [String: [DeviceStateChange]] = [:],
        incidents: [Incident] = [], events: [Int64: [AlertEvent]] = [:],
        maintenance: [MaintenanceWindow] = [], reboots: [String: Int] = [:]
    ) {
        self.period = period
        self.sla = sla
        self.language = language
        self.site = site
        self.siteNames = siteNames
        self.repeatFailures = repeatFailures
        self.generatedAt = generatedAt
        self.historySince = historySince
        self.devices = devices
        self.stateAtStart = stateAtStart
        self.changes = changes
        self.incidents = incidents
        self.events = events
        self.maintenance = maintenance
        self.reboots = reboots
    }
}
