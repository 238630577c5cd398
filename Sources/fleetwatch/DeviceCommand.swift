import ArgumentParser
import FleetCore
import FleetStore
import FleetViews
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
            print((n == 0 ? "forecasts  " : "           ") + ForecastText.line(f, render: render, now: now))
        }
        print("incidents  " + (open.isEmpty ? "none open" : open.map(Incident.label).joined(separator: ", ")))
    }
}
