import FleetCore

/// A `[[kinds.NAME.forecasts]]` item as the file states it, before it is known to be complete
/// (`reaches` has no default). Defaults are `ForecastRule`'s, the built-in forecast's values.
struct ForecastDraft {
    private static let defaults = ForecastRule(name: "", metric: "", reaches: 0)

    var name = ""
    var metric = ""
    var reaches: Double?
    var direction = defaults.direction
    var withinSeconds = defaults.withinSeconds
    var windowSeconds = defaults.windowSeconds
    var minSamples = defaults.minSamples
    var priority = defaults.priority

    /// The forecast, when the draft is complete (its problems, if any, are reported by the key table).
    var forecast: ForecastRule? {
        guard let reaches, !metric.isEmpty, TopicParser.isValidIdentifier(name) else { return nil }
        return ForecastRule(
            name: name, metric: metric, reaches: reaches, direction: direction,
            withinSeconds: withinSeconds, windowSeconds: windowSeconds, minSamples: minSamples,
            priority: priority)
    }
}
