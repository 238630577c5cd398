/// One decoded heartbeat: the fields SPEC §3 names, every one optional.
public struct Heartbeat: Sendable, Equatable {
    public enum Health: String, Sendable, Equatable, Codable { case ok, degraded, fault }

    /// Device send time, Unix seconds (RFC 3339, seconds and milliseconds all normalised here).
    public var timestamp: Double?
    public var seq: Int64?
    public var intervalSeconds: Double?
    /// What `interval_s` may say: 1e-9 would make the device overdue at once and 1e300 would
    /// keep it online forever, so anything outside 0.1 s … 1 day is `bad_field`.
    public static let intervalRange: ClosedRange<Double> = 0.1...86_400
    public var health: Health?
    public var errors: [String] = []
    public var metrics: [Metric] = []
    public var firmware: String?
    /// Seconds since the device booted; a decrease means it rebooted (SPEC §11).
    public var uptimeSeconds: Double?

    public init() {}

    public func metric(named name: String) -> MetricValue? {
        for m in metrics where m.name == name { return m.value }
        return nil
    }
}

/// A named metric; kept as an array, not a dictionary, since heartbeats carry a handful.
public struct Metric: Sendable, Equatable, Codable {
    public var name: String
    public var value: MetricValue
    public init(name: String, value: MetricValue) {
        self.name = name
        self.value = value
    }
}

public enum MetricValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)
    case string(String)

    public var description: String {
        switch self {
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): String(b)
        case .string(let s): s
        }
    }
}

public enum Priority: String, Sendable, Equatable, Comparable, CaseIterable {
    case p1 = "P1"
    case p2 = "P2"

    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}
