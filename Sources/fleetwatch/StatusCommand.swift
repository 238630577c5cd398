import ArgumentParser
import FleetCore
import FleetViews
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Devices per state, open incidents, broker connection, message counters.")

    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Print one JSON object.") var json = false

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        let document = try StatusDocument.load(from: store, configuration: configuration,
                                               now: Date().timeIntervalSince1970)
        if json {
            print(document.json(render))
            return
        }
        let (status, counts, incidents, pid) = (document.status, document.counts, document.openIncidents, document.pid)
        let connected = document.brokerConnected
        let byState = document.devicesByState
        print("daemon   \(pid.map { "running (pid \($0))" } ?? "stopped")")
        print("broker   \(connected ? "connected" : "disconnected")")
        print("devices  " + DeviceState.allCases.map { "\($0.rawValue) \(byState[$0] ?? 0)" }.joined(separator: ", "))
        print("open     " + Priority.allCases.map { "\($0.rawValue) \(incidents[$0] ?? 0)" }.joined(separator: ", "))
        let rejected = (status?.rejected ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print("messages accepted \(status?.accepted ?? 0), rejected \(rejected.isEmpty ? "0" : rejected.joined(separator: ", "))")
        for row in document.channels {
            let error = row.state?.lastError.map { ": \($0)" } ?? ""
            print("notify   \(row.channel.name): delivered \(row.state?.delivered ?? 0), pending \(row.pending), "
                  + row.condition + error)
        }
        guard !counts.isEmpty else { return }
        print("")
        var table = TextTable(["SITE", "KIND", "STATE", "DEVICES"])
        for c in counts { table.add([c.site, c.kind, c.state.rawValue, String(c.count)]) }
        print(table.render())
    }
}
