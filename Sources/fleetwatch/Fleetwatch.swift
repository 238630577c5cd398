import ArgumentParser
import Foundation

/// `fleetwatch COMMAND [options]`: the operators' CLI. Exit codes: 0 success, 1 failure with a
/// one-line reason on stderr, 2 bad usage.
@main
struct Fleetwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetwatch",
        abstract: "Operate Fleetwatch: fleet status, devices and incidents.",
        subcommands: [
            StatusCommand.self, DevicesCommand.self, DeviceCommand.self, QualityCommand.self, HistoryCommand.self,
            IncidentsCommand.self, IncidentCommand.self, AckCommand.self, DispatchCommand.self, ArriveCommand.self,
            ResolveCommand.self, NoteCommand.self, PartsCommand.self, PlanCommand.self, MaintenanceCommand.self,
            TailCommand.self, NotifyCommand.self, ReportCommand.self,
        ])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CLIFailure {
            FileHandle.standardError.write(Data("fleetwatch: \(failure.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            // ArgumentParser's usage errors (64) are reported as 2, like other Unix tools.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
