import ArgumentParser
import FleetCore

struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "incidents", abstract: "Open incidents (--all: every one).")

    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Include resolved incidents.") var all = false
    @Option(name: .long, help: "Only P1 or P2.") var priority: String?
    @Flag(name: .long, help: "Print a JSON array.") var json = false

    func validate() throws {
        if let priority, Priority(rawValue: priority.uppercased()) == nil {
            throw ValidationError("--priority must be P1 or P2 (got \"\(priority)\")")
        }
    }

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        let incidents = try store.incidents(includeResolved: all,
                                            priority: priority.flatMap { Priority(rawValue: $0.uppercased()) })
        if json {
            print(JSONText.array(incidents.map(render.incident)))
            return
        }
        var table = TextTable(["ID", "PRI", "STATUS", "RULE", "SCOPE", "OPENED", "RESPOND BY", "SUMMARY"])
        for i in incidents {
            let scope = [i.site, i.kind, i.device].compactMap { $0 }.joined(separator: "/")
            table.add([Incident.label(i.id), i.priority.rawValue, i.status.rawValue + (i.flapping ? " (flapping)" : ""),
                       i.rule.rawValue, scope.isEmpty ? i.scope.rawValue : scope, render.short(i.openedAt),
                       render.short(i.respondBy), i.summary])
        }
        print(table.render())
    }
}
