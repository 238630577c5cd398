import FleetCore

/// `forecasts` of `fleetwatch device --json` (SPEC §12): `{name, metric, value, reaches, eta,
/// seconds_left}`, eta null when the trend does not reach the level, seconds_left counted from `now`.
extension JSONRendering {
    public func forecasts(_ list: [ForecastStatus], now: Double) -> String {
        JSONText.array(
            list.map { f in
                JSONText.object([
                    ("name", .string(f.name)), ("metric", .string(f.metric)), ("value", Self.value(f.value)),
                    ("reaches", Self.value(f.reaches)), ("eta", timestamp(f.eta)),
                    ("seconds_left", f.secondsLeft(at: now).map { .int(Int64($0.rounded())) } ?? .null),
                ])
            })
    }

    /// A metric value as the device sent it: `87`, `36.5`.
    public static func value(_ v: Double) -> JSONText.Value {
        .raw(v.isFinite ? MetricValue.number(v).description : "null")
    }
}
