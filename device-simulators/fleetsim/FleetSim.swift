import ArgumentParser
import Foundation

/// `fleetsim`: simulated library hardware for tests, demos and benchmarks. It talks to the daemon
/// only through the broker and writes topics and payloads its own way (not with the daemon's
/// types), so a format mistake on one side is caught by the other.
@main
struct FleetSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetsim",
        abstract: "Simulate a fleet of library devices publishing heartbeats over MQTT.",
        subcommands: [RunCommand.self, ScenarioCommand.self, ScenariosCommand.self, ListCommand.self, LoadCommand.self])

    /// Usage errors exit 2 (ArgumentParser's own code is 64), as `fleetwatch`'s do (SPEC §8).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success {
                    print(message)
                } else {
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }
            }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Connection flags shared by every subcommand.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Broker host.") var host = "127.0.0.1"
    @Option(name: .long, help: "Broker port.") var port = 1883
    @Option(name: .long, help: "Topic prefix (mqtt.topic_prefix).") var prefix = "library"
    @Option(name: .long, help: "MQTT username for every device.") var username: String?
    @Option(name: .long, help: "MQTT password for every device.") var password: String?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535 (got \(port))") }
    }
}

/// What fleet to simulate.
struct FleetOptions: ParsableArguments {
    @Option(name: .long, help: "Number of sites (site01, site02, …).") var sites = 2
    @Option(name: .customLong("per-kind"), help: "Devices of each kind per site.") var perKind = 1
    @Option(name: .long, help: "Comma-separated kinds.")
    var kinds = "delivery-robot,pickup-locker,digital-human,face-gate"
    @Option(name: .long, help: "Heartbeat period in seconds (sent as interval_s unless --omit-interval).")
    var interval = 1.0
    @Flag(
        name: .customLong("omit-interval"),
        help: "Leave interval_s out of heartbeats: the daemon then times devices out by the kind's interval_s.")
    var omitInterval = false

    func fleet() throws -> [DeviceSpec] {
        guard sites >= 1, perKind >= 1 else { throw ValidationError("--sites and --per-kind must be >= 1") }
        // A simulated fleet is one MQTT connection per device: beyond this, use `fleetsim load`.
        guard sites * perKind <= 10_000 else {
            throw ValidationError("--sites × --per-kind must be at most 10000 (use `fleetsim load` for more)")
        }
        guard interval > 0 else { throw ValidationError("--interval must be > 0") }
        return DeviceSpec.fleet(sites: sites, perKind: perKind, kinds: kinds.split(separator: ",").map(String.init))
    }
}

/// `fleetsim list`: prints the device ids a fleet would have, one per line (id site kind).
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the simulated fleet.")
    @OptionGroup var fleetOptions: FleetOptions

    func run() throws {
        for d in try fleetOptions.fleet() { print("\(d.id) \(d.site) \(d.kind)") }
    }
}
