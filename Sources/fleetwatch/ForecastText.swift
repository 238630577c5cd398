import FleetCore
import FleetViews

/// How a device's forecast reads in the tables of `fleetwatch device` and `fleetwatch devices`.
enum ForecastText {
    /// `battery-forecast: battery_pct 42 → 15 at 2026-12-01 11:32:05 (in 13 min)`.
    static func line(_ f: ForecastStatus, render: JSONRendering, now: Double) -> String {
        let head = "\(f.name): \(f.metric) \(MetricValue.number(f.value)) → \(MetricValue.number(f.reaches))"
        guard let eta = f.eta, let left = f.secondsLeft(at: now) else { return head + ", not on its way there" }
        return head + " at \(render.short(eta))" + (left > 0 ? " (in \(duration(left)))" : " (reached)")
    }

    /// `battery_pct→15 in 13 min`, `battery_pct→15 reached`: the devices table's cell.
    static func cell(_ f: ForecastStatus, now: Double) -> String {
        let head = "\(f.metric)→\(MetricValue.number(f.reaches))"
        guard let left = f.secondsLeft(at: now) else { return "" }
        return left > 0 ? head + " in " + duration(left) : head + " reached"
    }

    /// `13 min`, `2 h 5 min`, `40 s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 120 { return "\(s) s" }
        let minutes = (s + 30) / 60
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }
}
