import ArgumentParser
import FleetCore
import FleetViews
import Foundation

/// `fleetwatch device ID [--json]`: one device in full (SPEC §11).
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "One device in full: state, health, firmware, uptime, error codes, metrics, link quality, forecasts, "
            + "incidents.")

    @OptionGroup var options: ConfigOptions
    @Argument(help: "Device id, e.g. robot-01.") var id: String
    @Flag(name: .long, help: "Print one JSON object.") var json = false

    func run() throws {
        let configuration = try options.load()
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        let d = try LiveValues(options: options, configuration: configuration).detail(of: id)
        // Forecasts are stored as they change (issue 15): the database has them, daemon or not.
        let forecasts = try options.openStore(configuration).forecasts(device: id)
        let now = Date().timeIntervalSince1970
        if json {
            print(render.device(d, forecasts: forecasts, now: now))
            return
        }
        let r = d.record
        show("\(r.id)  \(r.site)/\(r.kind)" + (r.name.map { "  \"\($0)\"" } ?? ""))
        show(
            "state      \(r.state.rawValue) since \(render.short(r.stateSince)), last seen \(render.short(r.lastSeen))")
        // The site's opening hours (SPEC §10), as the devices table's HOURS column says them.
        let hours = SiteHoursView(site: r.site, configuration: configuration, time: render.time, at: now)
        show("hours      \(hours.schedule == nil ? "always open (no schedule)" : hours.text)")
        show("health     \(d.health?.rawValue ?? "-")")
        show("firmware   \(r.firmware ?? "-")   uptime \(d.uptimeSeconds.map(Self.uptime) ?? "-")")
        let catalog = configuration.kinds[r.kind]?.errorCodes ?? [:]
        if d.errors.isEmpty {
            show("errors     none")
        } else {
            for (n, code) in d.errors.enumerated() {
                let entry = catalog[code]
                let text =
                    entry.map { e in
                        [e.text, e.priority.map { "(\($0.rawValue))" } ?? ""].filter { !$0.isEmpty }.joined(
                            separator: " ")
                    } ?? "(not in the catalog)"
                show("\(n == 0 ? "errors     " : "           ")\(code)  \(text)")
            }
        }
        show(
            "metrics    "
                + (d.metrics.isEmpty ? "-" : d.metrics.map { "\($0.name) \($0.value)" }.joined(separator: ", ")))
        show("clock      \(r.clockSkewed ? "skewed (ts off by more than detection.max_clock_skew_s)" : "ok")")
        if forecasts.isEmpty { show("forecasts  none") }
        for (n, f) in forecasts.enumerated() {
            show((n == 0 ? "forecasts  " : "           ") + ForecastText.line(f, render: render, now: now))
        }
        show(
            "quality    " + QualityCommand.summary(d.quality) + " within about \(DurationText.seconds(d.windowSeconds))"
        )
        show(
            "incidents  "
                + (d.openIncidents.isEmpty ? "none open" : d.openIncidents.map(Incident.label).joined(separator: ", ")))
    }

    /// One line of the readable view: names, error codes and metrics are what devices sent, so
    /// their control characters are printed escaped (`TextSafety`).
    private func show(_ line: String) { print(TextSafety.forTerminal(line)) }

    /// `3d 4h`, `2h 5m`, `42s`.
    static func uptime(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s >= 86400 { return "\(s / 86400)d \(s % 86400 / 3600)h" }
        if s >= 3600 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        if s >= 60 { return "\(s / 60)m \(s % 60)s" }
        return "\(s)s"
    }
}
