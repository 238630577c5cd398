import ArgumentParser
import FleetControl
import FleetCore

extension MaintenanceCommand {
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "End a window now.")

        @OptionGroup var options: ConfigOptions
        @Argument(help: "Window id, e.g. MW-3.") var id: String

        func validate() throws {
            guard MaintenanceWindow.parseLabel(id) != nil else {
                throw ValidationError("window id must look like MW-3 (got \"\(id)\")")
            }
        }

        func run() throws {
            guard let window = MaintenanceWindow.parseLabel(id) else {
                throw CLIFailure("window id must look like MW-3")
            }
            print(
                try ControlClient(path: try options.load().control.socket).perform(.removeMaintenance(window: window)))
        }
    }
}
