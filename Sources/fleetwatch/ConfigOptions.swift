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

    /// The configuration, read tolerantly: a command needs only `ConfigurationLoader.keysTheCLINeeds`
    /// (storage, control, sla.timezone). A problem elsewhere (an operator broke `mqtt.port`, the
    /// daemon refused the SIGHUP and runs on) is one warning line and the command goes on; a
    /// problem in those keys stops it, naming the key.
    /// `needing` adds keys a command cannot do without (the report's `sla` calendar).
    func load(needing extra: [String] = []) throws -> Configuration {
        let loaded: TolerantConfiguration
        do {
            loaded = try ConfigurationLoader.load(path: path, needing: ConfigurationLoader.keysTheCLINeeds + extra)
        } catch {
            throw CLIFailure(Self.summary(error.problems, fallback: "invalid configuration") + checkHint)
        }
        if !loaded.ignoredProblems.isEmpty {
            let line =
                "fleetwatch: warning: " + Self.summary(loaded.ignoredProblems, fallback: "")
                + "; this command does not use it" + checkHint + "\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        return loaded.configuration
    }

    private var checkHint: String { " (check with: fleetwatchd --config \(path) --check-config)" }

    /// The first problem, and how many more there are: one line whatever the file holds.
    private static func summary(_ problems: [ConfigurationError.Problem], fallback: String) -> String {
        guard let first = problems.first else { return fallback }
        return first.description + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
    }

    /// The store the configuration names (SQLite file or PostgreSQL database), read-only; works
    /// with the daemon stopped. `allowingEmpty`: a store no daemon has set up reads as empty.
    func openStore(_ configuration: Configuration, allowingEmpty: Bool = false) throws -> any StoreReading {
        let location: StoreLocation
        do {
            location = try StoreLocation(configuration.storage)
        } catch {
            throw CLIFailure("\(error)")
        }
        do {
            return try location.openReader(allowingEmpty: allowingEmpty)
        } catch {
            throw CLIFailure("cannot read \(location): \(error)")
        }
    }
}
