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
        let document = try StatusDocument.load(
            from: store, configuration: configuration,
            now: Date().timeIntervalSince1970)
        if json {
            print(document.json(render))
            return
        }
        let (status, counts, incidents, pid) = (document.status, document.counts, document.openIncidents, document.pid)
        let connected = document.brokerConnected
        let byState = document.devicesByState
        print("daemon   \(pid.map { "running (pid \($0))" } ?? "stopped")")
        if document.role != .single { print("node     \(document.node) (\(document.role.rawValue))") }
        let running = document.running
        let brokerStats = running ? Self.brokerLine(status?.brokerStats) : ""
        print("broker   \(connected ? "connected" : "disconnected")" + brokerStats)
        if running, let status {
            print(
                "lag      ingest \(Self.seconds(status.ingestLagSeconds)), "
                    + "database commit \(Self.seconds(status.flushSeconds))")
        }
        print("devices  " + DeviceState.allCases.map { "\($0.rawValue) \(byState[$0] ?? 0)" }.joined(separator: ", "))
        print("open     " + Priority.allCases.map { "\($0.rawValue) \(incidents[$0] ?? 0)" }.joined(separator: ", "))
        let rejected = (status?.rejected ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print(
            "messages accepted \(status?.accepted ?? 0), rejected \(rejected.isEmpty ? "0" : rejected.joined(separator: ", "))"
        )
        if let forgotten = status?.forgotten, forgotten > 0 {
            print("forgotten \(forgotten) devices not heard for detection.forget_after_s")
        }
        for row in document.channels {
            let error = row.state?.lastError.map { ": \($0)" } ?? ""
            // The error is a receiver's text: escaped for the terminal.
            print(
                TextSafety.forTerminal(
                    "notify   \(row.channel.name): delivered \(row.state?.delivered ?? 0), pending \(row.pending), "
                        + row.condition + error))
        }
        guard !counts.isEmpty else { return }
        print("")
        var table = TextTable(["SITE", "KIND", "STATE", "DEVICES"])
        for c in counts { table.add([c.site, c.kind, c.state.rawValue, String(c.count)]) }
        print(table.render())
    }

    /// ` (clients 12, dropped 0, up 3h 12m)` from the broker's `$SYS` values, when it published them.
    static func brokerLine(_ json: String?) -> String {
        guard let json, let data = json.data(using: .utf8),
            let stats = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], !stats.isEmpty
        else { return "" }
        var parts: [String] = []
        if let n = stats["clients_connected"] as? Int { parts.append("clients \(n)") }
        if let n = stats["messages_dropped"] as? Int { parts.append("dropped \(n)") }
        if let n = stats["uptime_s"] as? Int { parts.append("up \(DeviceCommand.uptime(Double(n)))") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func seconds(_ s: Double) -> String { s < 1 ? "\(Int((s * 1000).rounded())) ms" : DurationText.seconds(s) }
}
