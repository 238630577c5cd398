import ArgumentParser
import FleetControl
import FleetCore
import Foundation

extension MaintenanceCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a window for a site or a device.")

        @OptionGroup var options: ConfigOptions
        @Option(name: .long, help: "Every device of this site.") var site: String?
        @Option(name: .long, help: "One device.") var device: String?
        @Option(name: .long, help: "End: RFC 3339 time or a span from now (90m, 2h, 1d).") var until: String
        @Option(name: .long, help: "Start (default: now): RFC 3339 time or a span from now.") var from: String?
        @Option(name: .long, help: "Why (shown in the list).") var reason: String?
        @Option(name: .long, help: "Who (default: $USER).") var by: String?

        func validate() throws {
            guard (site == nil) != (device == nil) else { throw ValidationError("give exactly one of --site or --device") }
            _ = try TimeArgument.parse(until, option: "--until")
            if let from { _ = try TimeArgument.parse(from, option: "--from") }
        }

        func run() throws {
            let start = try from.map { try TimeArgument.parse($0, option: "--from") } ?? Date().timeIntervalSince1970
            let end = try TimeArgument.parse(until, option: "--until")
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "operator"
            let window = MaintenanceWindow(site: site, device: device, from: start, until: end, reason: reason,
                                           createdBy: who)
            print(try ControlClient(path: try options.load().control.socket).perform(.addMaintenance(window)))
        }
    }
}
