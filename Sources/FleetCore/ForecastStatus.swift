/// Where one forecast of one device stands, as `fleetwatch device --json` lists it (SPEC §12):
/// stored by the daemon when it changes enough to matter, read by the CLI.
public struct ForecastStatus: Sendable, Equatable {
    public var device: String
    public var name: String
    public var metric: String
    /// The metric's newest value.
    public var value: Double
    public var reaches: Double
    /// When the trend gets to `reaches` (Unix seconds; in the past once it has); nil when the
    /// trend does not get there (flat, the other way, too few samples).
    public var eta: Double?
    /// When this was decided (Unix seconds).
    public var updatedAt: Double

    public init(
        device: String, name: String, metric: String, value: Double, reaches: Double, eta: Double?,
        updatedAt: Double
    ) {
        self.device = device
        self.name = name
        self.metric = metric
        self.value = value
        self.reaches = reaches
        self.eta = eta
        self.updatedAt = updatedAt
    }

    /// Seconds from `now` to the eta, never below 0 (reached); nil without an eta.
    public func secondsLeft(at now: Double) -> Double? { eta.map { max(0, $0 - now) } }
}
