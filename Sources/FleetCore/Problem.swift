/// A condition a rule found: what would open an incident (or update the open one for the same
/// problem). Parts of the engine return these; the `IncidentBook` decides what they mean.
public struct Problem: Sendable, Equatable {
    public var rule: RuleID
    public var priority: Priority
    public var scope: IncidentScope
    public var site: String?
    public var kind: String?
    public var device: String?
    public var summary: String
    /// For outages: how many devices it affects now.
    public var extent: Int?
    /// For `error`: the error code (one incident per device and code).
    public var code: String?
    /// For `fault`/`degraded`: the device's active error codes, carried on the incident.
    public var errors: [String] = []
    /// For forecasts: when the metric is predicted to reach its level (Unix seconds), the `eta=`
    /// of its lines.
    public var eta: Double?

    public init(
        rule: RuleID, priority: Priority, scope: IncidentScope, site: String? = nil, kind: String? = nil,
        device: String? = nil, summary: String, extent: Int? = nil
    ) {
        self.rule = rule
        self.priority = priority
        self.scope = scope
        self.site = site
        self.kind = kind
        self.device = device
        self.summary = summary
        self.extent = extent
    }

    /// A problem about one device.
    public static func device(_ rule: RuleID, _ priority: Priority, _ record: DeviceRecord, summary: String) -> Problem
    {
        Problem(
            rule: rule, priority: priority, scope: .device, site: record.site, kind: record.kind,
            device: record.id, summary: summary)
    }

    public var key: IncidentKey {
        IncidentKey(rule: rule, scope: scope, site: site, kind: kind, device: device, code: code)
    }
}

/// What a rule evaluation found: its condition holds (raise), it still holds but says something
/// new enough to tell (revise: a forecast's eta moved), or it no longer does (clear).
public enum Finding: Sendable, Equatable {
    case holds(Problem)
    case revised(Problem)
    case cleared(IncidentKey)
}
