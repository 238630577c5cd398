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
            let time = TimeFormat(zoneIdentifier: configuration.sla.timezone)
            let render = JSONRendering(time: time)
            let clock = LocalClock(zone: time.zone)
            let now = Date().timeIntervalSince1970
            let windows = try options.openStore(configuration).maintenanceWindows(current: now)
            if json {
                print(
                    JSONText.array(
                        windows.map { w in
                            JSONText.object([
                                ("id", .string(MaintenanceWindow.label(w.id))), ("site", .optional(w.site)),
                                ("device", .optional(w.device)), ("from", render.timestamp(w.from)),
                                ("until", render.timestamp(w.until)), ("reason", .optional(w.reason)),
                                ("by", .optional(w.createdBy)), ("every", .optional(w.every?.text)),
                                ("next_start", render.timestamp(w.nextStart(after: now, clock: clock))),
                                ("active", .bool(w.isActive(at: now, clock: clock))),
                            ])
                        }))
                return
            }
            var table = TextTable(["ID", "TARGET", "EVERY", "NEXT", "FROM", "UNTIL", "BY", "REASON"])
            for w in windows {
                let next =
                    w.isActive(at: now, clock: clock)
                    ? "active now" : render.short(w.nextStart(after: now, clock: clock))
                table.add([
                    MaintenanceWindow.label(w.id), w.device.map { "device \($0)" } ?? "site \(w.site ?? "")",
                    w.every?.text ?? "once", next, render.short(w.from), w.hasEnd ? render.short(w.until) : "-",
                    w.createdBy ?? "", w.reason ?? "",
                ])
            }
            print(table.render())
        }
    }
}
