import ArgumentParser
import FleetConfig
import FleetCore
import FleetStore
import Foundation

/// `--config FILE`, else `$FLEETWATCH_CONFIG`, else `/etc/fleetwatch/fleetwatch.toml`: how every
/// command finds the daemon's files.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $FLEETWATCH_CONFIG or /etc/fleetwatch/fleetwatch.toml).")
    var config: String?

    var path: String {
        config ?? ProcessInfo.processInfo.environment["FLEETWATCH_CONFIG"] ?? "/etc/fleetwatch/fleetwatch.toml"
    }

    func load() throws -> Configuration {
        do {
            return try ConfigurationLoader.load(path: path)
        } catch {
            let first = error.problems.first?.description ?? "invalid configuration"
            throw CLIFailure("\(first) (check with: fleetwatchd --config \(path) --check-config)")
        }
    }

    func openStore(_ configuration: Configuration) throws -> StoreReader {
        do {
            return try StoreReader(path: configuration.storage.database)
        } catch {
            throw CLIFailure("cannot read \(configuration.storage.database): \(error)")
        }
    }
}
