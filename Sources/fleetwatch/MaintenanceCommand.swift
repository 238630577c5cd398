import ArgumentParser

struct MaintenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Maintenance windows: devices under maintenance open no incidents.",
        subcommands: [Add.self, List.self, Remove.self])
}
