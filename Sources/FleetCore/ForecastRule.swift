/// A forecast of a kind (`[[kinds.NAME.forecasts]]`, SPEC §12): warn before a metric gets to a
/// level, from the trend of its recent samples, instead of once it is there.
public struct ForecastRule: Sendable, Equatable {
    /// The way the metric moves toward `reaches`: a battery falls to its level, a temperature rises
    /// to its limit. A trend the other way (a robot on charge) predicts nothing.
    public enum Direction: String, Sendable, Equatable, CaseIterable {
        case falling, rising
    }

    public var name: String
    public var metric: String
    /// The level at which service stops.
    public var reaches: Double
    public var direction: Direction
    /// Open when the level is predicted to be reached sooner than this.
    public var withinSeconds: Double
    /// The fit forgets older samples with a time constant of half this (see `TrendFit`).
    public var windowSeconds: Double
    /// Samples of the current run needed before there is a prediction at all.
    public var minSamples: Int
    public var priority: Priority

    public init(
        name: String, metric: String, reaches: Double, direction: Direction = .falling,
        withinSeconds: Double = 1800, windowSeconds: Double = 1800, minSamples: Int = 5,
        priority: Priority = .p2
    ) {
        self.name = name
        self.metric = metric
        self.reaches = reaches
        self.direction = direction
        self.withinSeconds = withinSeconds
        self.windowSeconds = windowSeconds
        self.minSamples = minSamples
        self.priority = priority
    }

    /// Whether `value` is at the level or beyond it, on the side the metric moves to.
    public func isPast(_ value: Double) -> Bool {
        direction == .falling ? value <= reaches : value >= reaches
    }

    /// The built-in `battery-forecast` of `delivery-robot` (SPEC §12).
    public static let batteryForecast = ForecastRule(
        name: RuleID.batteryForecast.rawValue, metric: "battery_pct", reaches: 15, direction: .falling,
        withinSeconds: 1800, windowSeconds: 1800, minSamples: 5, priority: .p2)
}
