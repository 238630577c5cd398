import ArgumentParser
import FleetCore
import FleetStore
import Foundation
import SystemCalls

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Devices per state, open incidents, broker connection, message counters.")

    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Print one JSON object.") var json = false

    /// The status row is rewritten every second; older than this means the daemon is gone.
    static let staleAfter = 5.0

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        let counts = try store.deviceCounts()
        let incidents = try store.openIncidentCounts()
        let status = try store.daemonStatus()
        let running = status.map(Self.isRunning) ?? false
        let pid = running ? status?.pid : nil
        let connected = running && status?.brokerConnected == true
        var byState: [DeviceState: Int] = [:]
        for c in counts { byState[c.state, default: 0] += c.count }
        let channels = try NotifyChannelRow.load(configuration, store)

        if json {
            let devices = DeviceState.allCases.map { ($0.rawValue, JSONText.Value.int(Int64(byState[$0] ?? 0))) }
            let open = Priority.allCases.map { ($0.rawValue, JSONText.Value.int(Int64(incidents[$0] ?? 0))) }
            let rejected = (status?.rejected ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, JSONText.Value.int(Int64($0.value))) }
            let sites = counts.map {
                JSONText.object([("site", .string($0.site)), ("kind", .string($0.kind)),
                                 ("state", .string($0.state.rawValue)), ("count", .int(Int64($0.count)))])
            }
            print(JSONText.object([
                ("daemon", .string(running ? "running" : "stopped")),
                ("broker", .string(connected ? "connected" : "disconnected")),
                ("devices", .raw(JSONText.object(devices))),
                ("incidents", .raw(JSONText.object(open))),
                ("messages", .raw(JSONText.object([
                    ("accepted", .int(Int64(status?.accepted ?? 0))), ("rejected", .raw(JSONText.object(rejected))),
                ]))),
                ("pid", pid.map { .int(Int64($0)) } ?? .null),
                ("updated_at", render.timestamp(status?.updatedAt)),
                ("by_site", .raw(JSONText.array(sites))),
                ("notify", .raw(JSONText.array(channels.map { JSONText.object($0.statusPairs) }))),
            ]))
            return
        }
        print("daemon   \(pid.map { "running (pid \($0))" } ?? "stopped")")
        print("broker   \(connected ? "connected" : "disconnected")")
        print("devices  " + DeviceState.allCases.map { "\($0.rawValue) \(byState[$0] ?? 0)" }.joined(separator: ", "))
        print("open     " + Priority.allCases.map { "\($0.rawValue) \(incidents[$0] ?? 0)" }.joined(separator: ", "))
        let rejected = (status?.rejected ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print("messages accepted \(status?.accepted ?? 0), rejected \(rejected.isEmpty ? "0" : rejected.joined(separator: ", "))")
        for row in channels {
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

    static func isRunning(_ status: DaemonStatus) -> Bool {
        guard status.pid > 0, Date().timeIntervalSince1970 - status.updatedAt < staleAfter else { return false }
        return ProcessControl.exists(status.pid)
    }
}
