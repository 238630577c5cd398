import ArgumentParser
import FleetCore
import Foundation

struct MaintenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Maintenance windows: devices under maintenance open no incidents.",
        subcommands: [Add.self, List.self, Remove.self])

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
            let client = ControlClient(path: try options.load().control.socket)
            let id = try client.send([
                ("op", .string("maintenance-add")), ("site", .optional(site)), ("device", .optional(device)),
                ("from", .double(start)), ("until", .double(end)), ("reason", .optional(reason)), ("by", .string(who)),
            ])
            print(id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Current and planned windows.")

        @OptionGroup var options: ConfigOptions
        @Flag(name: .long, help: "Print a JSON array.") var json = false

        func run() throws {
            let configuration = try options.load()
            let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
            let windows = try options.openStore(configuration).maintenanceWindows(current: Date().timeIntervalSince1970)
            if json {
                print(JSONText.array(windows.map { w in
                    JSONText.object([
                        ("id", .string(MaintenanceWindow.label(w.id))), ("site", .optional(w.site)),
                        ("device", .optional(w.device)), ("from", render.timestamp(w.from)),
                        ("until", render.timestamp(w.until)), ("reason", .optional(w.reason)), ("by", .optional(w.createdBy)),
                    ])
                }))
                return
            }
            var table = TextTable(["ID", "TARGET", "FROM", "UNTIL", "BY", "REASON"])
            for w in windows {
                table.add([MaintenanceWindow.label(w.id), w.device.map { "device \($0)" } ?? "site \(w.site ?? "")",
                           render.short(w.from), render.short(w.until), w.createdBy ?? "", w.reason ?? ""])
            }
            print(table.render())
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "End a window now.")

        @OptionGroup var options: ConfigOptions
        @Argument(help: "Window id, e.g. MW-3.") var id: String

        func validate() throws {
            guard MaintenanceWindow.parseLabel(id) != nil else { throw ValidationError("window id must look like MW-3 (got \"\(id)\")") }
        }

        func run() throws {
            print(try ControlClient(path: try options.load().control.socket).send([
                ("op", .string("maintenance-remove")), ("id", .string(id)),
            ]))
        }
    }
}

/// `--until 2h`, `--from 2026-11-27T09:00:00+08:00`: RFC 3339 or a span from now.
enum TimeArgument {
    static func parse(_ text: String, option: String, now: Double = Date().timeIntervalSince1970) throws -> Double {
        if let t = RFC3339.parse(text) { return t }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last, let scale = units[unit], let n = Double(text.dropLast()), n >= 0, n.isFinite {
            return now + n * scale
        }
        throw ValidationError("\(option) must be an RFC 3339 time or a span like 90m, 2h, 1d (got \"\(text)\")")
    }
}
