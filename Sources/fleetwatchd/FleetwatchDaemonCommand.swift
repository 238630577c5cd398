import ArgumentParser
import FleetConfig
import FleetCore
import FleetDaemon
import Foundation
import Logging

/// `fleetwatchd --config FILE [--check-config]`: parse flags, load the configuration, run.
/// `fleetwatchd --print-config-reference` prints docs/configuration.md.
@main
struct FleetwatchDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetwatchd",
        abstract: "Watches library hardware heartbeats over MQTT and opens incidents.")

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

    @Option(name: .long, help: "Configuration file (TOML); required unless --print-config-reference.")
    var config: String?

    @Flag(name: .customLong("check-config"), help: "Validate the configuration, print every problem, and exit.")
    var checkConfig = false

    @Flag(
        name: .customLong("print-config-reference"),
        help: "Print the configuration reference (every key: type, default, range, meaning) as Markdown, and exit.")
    var printConfigReference = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["FLEETWATCH_LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if config == nil && !printConfigReference {
            throw ValidationError("Missing expected argument '--config <config>'")
        }
    }

    func run() throws {
        guard let config, !printConfigReference else {
            print(ConfigurationReference.markdown(), terminator: "")
            return
        }
        let loaded: FleetCore.Configuration
        do {
            loaded = try ConfigurationLoader.load(path: config, checkingFiles: true)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        let storageProblems = Daemon.storageProblems(loaded)
        if !storageProblems.isEmpty {
            FileHandle.standardError.write(Data((storageProblems.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
        if checkConfig {
            print(
                "\(config): configuration is valid (\(loaded.devices.count) inventory devices, \(loaded.kinds.count) kinds)"
            )
            return
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let daemon = Daemon(configuration: loaded, configPath: config, logger: Logger(label: "fleetwatchd"))
        do {
            throw ExitCode(try daemon.run())
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Logger(label: "fleetwatchd").critical("cannot run", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}
