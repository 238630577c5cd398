/// Per-kind detection settings: heartbeat period, tolerance, metric rules, the error catalog and
/// forecasts.
public struct KindSettings: Sendable, Equatable {
    public var intervalSeconds: Double
    public var missed: Int
    /// All of a site's devices of a core kind offline is a P1 `core-down`.
    public var core: Bool
    public var rules: [MetricRule]
    /// Error code → what it means, and the priority of the `error` incident it opens (if any).
    public var errorCodes: [String: ErrorCode]
    /// `sleep`: silent while the site is closed is `sleeping`, not `offline` (SPEC §10).
    public var offHours: OffHours
    /// After its site opens, a sleeping device has this long to be heard before it is offline.
    public var wakeGraceSeconds: Double
    public var forecasts: [ForecastRule]

    public init(
        intervalSeconds: Double = 10, missed: Int = 3, core: Bool = false, rules: [MetricRule] = [],
        errorCodes: [String: ErrorCode] = [:], offHours: OffHours = .monitor,
        wakeGraceSeconds: Double = 900, forecasts: [ForecastRule] = []
    ) {
        self.intervalSeconds = intervalSeconds
        self.missed = missed
        self.core = core
        self.rules = rules
        self.errorCodes = errorCodes
        self.offHours = offHours
        self.wakeGraceSeconds = wakeGraceSeconds
        self.forecasts = forecasts
    }

    public static let builtInNames = ["delivery-robot", "pickup-locker", "digital-human", "face-gate"]

    /// The four kinds every deployment has, with the defaults the README documents.
    public static let builtIn: [String: KindSettings] = [
        "delivery-robot": KindSettings(
            intervalSeconds: 10, missed: 3, core: true,
            rules: [
                MetricRule(
                    name: "battery-low", metric: "battery_pct", condition: .below(15), forSeconds: 60, priority: .p2)
            ], errorCodes: ErrorCode.builtIn["delivery-robot"] ?? [:], forecasts: [.batteryForecast]),
        "pickup-locker": KindSettings(
            intervalSeconds: 30, missed: 3, core: true,
            rules: [
                MetricRule(
                    name: "doors-faulted", metric: "doors_faulted", condition: .above(0), forSeconds: 60, priority: .p2)
            ], errorCodes: ErrorCode.builtIn["pickup-locker"] ?? [:]),
        "digital-human": KindSettings(
            intervalSeconds: 30, missed: 3, core: false,
            rules: [
                MetricRule(
                    name: "camera-down", metric: "camera_ok", condition: .equals(.bool(false)), forSeconds: 60,
                    priority: .p2),
                MetricRule(
                    name: "display-down", metric: "display_ok", condition: .equals(.bool(false)), forSeconds: 60,
                    priority: .p2),
            ], errorCodes: ErrorCode.builtIn["digital-human"] ?? [:]),
        "face-gate": KindSettings(
            intervalSeconds: 15, missed: 3, core: true,
            rules: [
                MetricRule(
                    name: "camera-down", metric: "camera_ok", condition: .equals(.bool(false)), forSeconds: 30,
                    priority: .p2),
                MetricRule(
                    name: "recognition-slow", metric: "recognition_ms", condition: .above(1500), forSeconds: 120,
                    priority: .p2),
            ], errorCodes: ErrorCode.builtIn["face-gate"] ?? [:]),
    ]

    /// Offline after this long without a heartbeat, for the kind's own interval.
    public func offlineTimeout(deviceInterval: Double? = nil) -> Double {
        (deviceInterval ?? intervalSeconds) * Double(missed)
    }
}

/// A condition on one heartbeat metric that must hold for `forSeconds` before it opens an incident.
public struct MetricRule: Sendable, Equatable {
    public enum Condition: Sendable, Equatable {
        case below(Double)
        case above(Double)
        case equals(MetricValue)
    }

    public var name: String
    public var metric: String
    public var condition: Condition
    public var forSeconds: Double
    public var priority: Priority

    public init(name: String, metric: String, condition: Condition, forSeconds: Double, priority: Priority) {
        self.name = name
        self.metric = metric
        self.condition = condition
        self.forSeconds = forSeconds
        self.priority = priority
    }
}
