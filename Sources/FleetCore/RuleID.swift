/// The name of the rule behind an incident: what `rule=` says on its alert lines. Built-in rules
/// are the constants below; metric rules and forecasts carry their configured names.
public struct RuleID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }
    public static func < (a: RuleID, b: RuleID) -> Bool { a.rawValue < b.rawValue }

    // Device rules.
    public static let offline: RuleID = "offline"
    public static let fault: RuleID = "fault"
    public static let degraded: RuleID = "degraded"
    public static let repeatedFailure: RuleID = "repeated-failure"
    /// The built-in forecast of `delivery-robot` (issue 15); other forecasts carry their configured names.
    public static let batteryForecast: RuleID = "battery-forecast"
    // The device → broker → daemon link (SPEC §11).
    public static let dataLoss: RuleID = "data-loss"
    public static let rebootLoop: RuleID = "reboot-loop"
    /// A catalogued error code with a priority; one incident per device and code.
    public static let error: RuleID = "error"
    // Outages.
    public static let siteOutage: RuleID = "site-outage"
    public static let coreDown: RuleID = "core-down"
    public static let fleetOutage: RuleID = "fleet-outage"
    // The watcher itself.
    public static let brokerUnreachable: RuleID = "broker-unreachable"
    public static let storageFailure: RuleID = "storage-failure"
    public static let brokerDropping: RuleID = "broker-dropping"

    /// The rule a device's own `health` verdict opens.
    public static func health(_ health: Heartbeat.Health) -> RuleID? {
        switch health {
        case .ok: nil
        case .degraded: .degraded
        case .fault: .fault
        }
    }
}
