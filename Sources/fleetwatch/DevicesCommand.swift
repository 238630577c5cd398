import ArgumentParser
import FleetCore
import FleetStore
import FleetViews
import Foundation

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "One row per device.")

    @OptionGroup var options: ConfigOptions
    @Option(name: .long, help: "Only this site.") var site: String?
    @Option(name: .long, help: "Only this kind.") var kind: String?
    @Option(name: .long, help: "Only this state: \(DevicesCommand.states).") var state: String?
    @Flag(name: .long, help: "Print a JSON array.") var json = false

    static let states = DeviceState.allCases.map(\.rawValue).joined(separator: ", ")

    func validate() throws {
        if let state, DeviceState(rawValue: state) == nil {
            throw ValidationError("--state must be one of \(Self.states) (got \"\(state)\")")
        }
    }

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        let devices = try store.devices(site: site, kind: kind, state: state.flatMap(DeviceState.init(rawValue:)))
        var hours = SiteHoursView.Cache(
            configuration: configuration, time: render.time,
            at: Date().timeIntervalSince1970)
        if json {
            // Streamed in chunks, not one joined string (Benchmarks: cli).
            var out = JSONBytes(capacity: 1 << 18)
            DeviceListing.write(devices, render, hours: &hours, into: &out) { chunk in
                FileHandle.standardOutput.write(Data(chunk.bytes))
                chunk.bytes.removeAll(keepingCapacity: true)
            }
            return
        }
        let forecasts = try Self.soonestForecasts(store)
        let now = Date().timeIntervalSince1970
        var table = TextTable(["ID", "SITE", "KIND", "STATE", "SINCE", "LAST SEEN", "HOURS", "FORECAST", "NOTE"])
        for d in devices {
            table.add([
                d.id, d.site, d.kind, d.state.rawValue, render.short(d.stateSince), render.short(d.lastSeen),
                hours.view(d.site).text, forecasts[d.id].map { ForecastText.cell($0, now: now) } ?? "",
                d.clockSkewed ? "clock skew" : "",
            ])
        }
        print(table.render())
    }

    /// Each device's forecast with the nearest eta (issue 15).
    static func soonestForecasts(_ store: any StoreReading) throws -> [String: ForecastStatus] {
        var soonest: [String: ForecastStatus] = [:]
        for f in try store.forecasts(device: nil) where f.eta != nil {
            if let known = soonest[f.device], let a = known.eta, let b = f.eta, a <= b { continue }
            soonest[f.device] = f
        }
        return soonest
    }
}
