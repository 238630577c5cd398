import ArgumentParser
import FleetCore
import FleetStore
import Foundation

/// `fleetwatch device ID [--json]`: one device (SPEC §11), as far as the database tells: its
/// record, forecasts (§12) and open incidents. The data-quality work adds health, uptime, error
/// codes, last metrics and link quality to the same command.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "One device: state, firmware, forecasts, open incidents.")

    @OptionGroup var options: ConfigOptions
    @Argument(help: "Device id, e.g. robot-01.") var id: String
    @Flag(name: .long, help: "Print one JSON object.") var json = false

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        guard let r = try store.device(id) else { throw CLIFailure("no device \(id) (see fleetwatch devices)") }
        let forecasts = try store.forecasts(device: id)
        let open = try store.incidents(includeResolved: false).filter { $0.device == id }.map(\.id)
        let now = Date().timeIntervalSince1970
        if json {
            print(
                JSONText.object([
                    ("id", .string(r.id)), ("site", .string(r.site)), ("kind", .string(r.kind)),
                    ("name", .optional(r.name)),
                    ("state", .string(r.state.rawValue)), ("state_since", render.timestamp(r.stateSince)),
                    ("last_seen", render.timestamp(r.lastSeen)), ("firmware", .optional(r.firmware)),
                    ("clock_skew", .bool(r.clockSkewed)), ("forecasts", .raw(render.forecasts(forecasts, now: now))),
                    ("incidents", .raw(JSONText.array(open.map { JSONText.quote(Incident.label($0)) }))),
                ]))
            return
        }
        print("\(r.id)  \(r.site)/\(r.kind)" + (r.name.map { "  \"\($0)\"" } ?? ""))
        print(
            "state      \(r.state.rawValue) since \(render.short(r.stateSince)), last seen \(render.short(r.lastSeen))")
        print("firmware   \(r.firmware ?? "-")")
        print("clock      \(r.clockSkewed ? "skewed (ts off by more than detection.max_clock_skew_s)" : "ok")")
        if forecasts.isEmpty { print("forecasts  none") }
        for (n, f) in forecasts.enumerated() {
            print((n == 0 ? "forecasts  " : "           ") + Self.forecastText(f, render: render, now: now))
        }
        print("incidents  " + (open.isEmpty ? "none open" : open.map(Incident.label).joined(separator: ", ")))
    }

    /// `battery-forecast: battery_pct 42 → 15 at 2026-12-01 11:32:05 (in 13 min)`.
    static func forecastText(_ f: ForecastStatus, render: JSONRendering, now: Double) -> String {
        let head = "\(f.name): \(f.metric) \(MetricValue.number(f.value)) → \(MetricValue.number(f.reaches))"
        guard let eta = f.eta, let left = f.secondsLeft(at: now) else { return head + ", not on its way there" }
        return head + " at \(render.short(eta))" + (left > 0 ? " (in \(Self.duration(left)))" : " (reached)")
    }

    /// `13 min`, `2 h 5 min`, `40 s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 120 { return "\(s) s" }
        let minutes = (s + 30) / 60
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }
}
