import ArgumentParser
import FleetCore
import FleetViews

extension NotifyCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Each [[notify]] channel: type, target, filters, delivered, pending, failing.")

        @OptionGroup var options: ConfigOptions
        @Flag(name: .long, help: "Print a JSON array.") var json = false

        func run() throws {
            let configuration = try options.load()
            let rows = try NotifyChannelRow.load(configuration, try options.openStore(configuration))
            if json {
                print(
                    JSONText.array(
                        rows.map { row in
                            let c = row.channel
                            return JSONText.object(
                                row.statusPairs + [
                                    ("type", .string(c.type.rawValue)), ("target", .string(row.target)),
                                    ("format", c.type == .webhook ? .string(c.format.rawValue) : .null),
                                    ("events", .raw(JSONText.array(c.events.map { JSONText.quote($0.rawValue) }))),
                                    (
                                        "priorities",
                                        .raw(JSONText.array(c.priorities.map { JSONText.quote($0.rawValue) }))
                                    ),
                                    ("sites", .raw(JSONText.array(c.sites.map(JSONText.quote)))),
                                    ("signed", .bool(!c.secretFile.isEmpty)), ("state", .string(row.condition)),
                                ])
                        }))
                return
            }
            guard !rows.isEmpty else {
                print("no notification channels; add [[notify]] to \(options.path) (see docs/operators.md)")
                return
            }
            var table = TextTable(["NAME", "TYPE", "TARGET", "EVENTS", "DELIVERED", "PENDING", "STATE", "LAST ERROR"])
            for row in rows {
                let c = row.channel
                let type = c.type == .webhook ? "webhook/\(c.format.rawValue)" : c.type.rawValue
                var events = c.events.map(\.rawValue).joined(separator: ",")
                if c.priorities.count < Priority.allCases.count {
                    events += " " + c.priorities.map(\.rawValue).joined(separator: ",")
                }
                if !c.sites.isEmpty { events += " @" + c.sites.joined(separator: ",") }
                table.add([
                    c.name, type, row.target, events, String(row.state?.delivered ?? 0), String(row.pending),
                    row.condition, row.state?.lastError ?? "",
                ])
            }
            print(table.render())
        }
    }
}
