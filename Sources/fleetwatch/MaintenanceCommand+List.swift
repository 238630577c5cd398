import ArgumentParser
import FleetCore
import FleetViews
import Foundation

extension MaintenanceCommand {
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
}
