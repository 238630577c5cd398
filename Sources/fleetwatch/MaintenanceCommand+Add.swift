import ArgumentParser
import FleetControl
import FleetCore
import Foundation

extension MaintenanceCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a window for a site or a device, once or recurring.",
            discussion: """
                A one-off window needs --until. A recurring window (--every) covers each occurrence, in \
                sla.timezone, from now (or --from) until --until (or for good): --every "daily 21:00-09:00", \
                --every "sun 02:00-04:00", --every "mon,wed,fri 12:00-13:00". A range whose end is before \
                its start runs past midnight; DAYS name the day it starts.
                """)

        @OptionGroup var options: ConfigOptions
        @Option(name: .long, help: "Every device of this site.") var site: String?
        @Option(name: .long, help: "One device.") var device: String?
        @Option(name: .long, help: "End: RFC 3339 time or a span from now (90m, 2h, 1d); with --every, optional.")
        var until: String?
        @Option(name: .long, help: "Start (default: now): RFC 3339 time or a span from now.") var from: String?
        @Option(name: .long, help: "Recur: \"DAYS HH:MM-HH:MM\", DAYS being daily or mon,tue,… (local time).")
        var every: String?
        @Option(name: .long, help: "Why (shown in the list).") var reason: String?
        @Option(name: .long, help: "Who (default: $USER).") var by: String?

        func validate() throws {
            guard (site == nil) != (device == nil) else {
                throw ValidationError("give exactly one of --site or --device")
            }
            if let until { _ = try TimeArgument.parse(until, option: "--until") }
            if let from { _ = try TimeArgument.parse(from, option: "--from") }
            if let every {
                _ = try Self.recurrence(every)
            } else if until == nil {
                throw ValidationError("give --until TIME (or --every \"DAYS HH:MM-HH:MM\" for a recurring window)")
            }
        }

        static func recurrence(_ text: String) throws -> MaintenanceRecurrence {
            switch MaintenanceRecurrence.parse(text) {
            case .success(let recurrence): return recurrence
            case .failure(let error):
                throw ValidationError(
                    "--every \(error.description) (got \"\(text)\"), e.g. --every \"daily 21:00-09:00\"")
            }
        }

        func run() throws {
            let start = try from.map { try TimeArgument.parse($0, option: "--from") } ?? Date().timeIntervalSince1970
            let end = try until.map { try TimeArgument.parse($0, option: "--until") } ?? MaintenanceWindow.noEnd
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "operator"
            let window = MaintenanceWindow(
                site: site, device: device, from: start, until: end, reason: reason,
                createdBy: who, every: try every.map(Self.recurrence))
            print(try ControlClient(path: try options.load().control.socket).perform(.addMaintenance(window)))
        }
    }
}
