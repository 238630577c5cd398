import ArgumentParser
import FleetCore
import FleetViews

struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract:
            "Open incidents (--all: every one), one row per problem: an outage's children are folded into its row.")

    @OptionGroup var options: ConfigOptions
    @Flag(name: .long, help: "Include resolved incidents.") var all = false
    @Option(name: .long, help: "Only P1 or P2.") var priority: String?
    @Flag(name: .long, help: "One row per incident: list grouped children too.") var flat = false
    @Flag(name: .long, help: "Print a JSON array (always every incident, children with their parent).") var json = false

    func validate() throws {
        if let priority, Priority(rawValue: priority.uppercased()) == nil {
            throw ValidationError("--priority must be P1 or P2 (got \"\(priority)\")")
        }
    }

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        let incidents = try store.incidents(
            includeResolved: all,
            priority: priority.flatMap { Priority(rawValue: $0.uppercased()) })
        if json {
            print(IncidentListing.json(incidents, render), terminator: "")
            return
        }
        let rows = flat ? incidents.map { ProblemRow(incident: $0, children: []) } : ProblemRow.fold(incidents)
        var table = TextTable([
            "ID", "PRI", "STATUS", "RULE", "SCOPE", flat ? "PARENT" : "GROUPED", "OPENED",
            "RESPOND BY", "RESOLVE BY", "SUMMARY",
        ])
        for row in rows {
            let i = row.incident
            let scope = [i.site, i.kind, i.device].compactMap { $0 }.joined(separator: "/")
            let grouped =
                flat ? (i.parent.map(Incident.label) ?? "-") : (row.children.isEmpty ? "-" : "+\(row.children.count)")
            table.add([
                Incident.label(i.id), i.priority.rawValue, i.status.rawValue + (i.flapping ? " (flapping)" : ""),
                i.rule.rawValue, scope.isEmpty ? i.scope.rawValue : scope, grouped, render.short(i.openedAt),
                render.short(i.respondBy), i.partsAt == nil ? render.short(i.resolveBy) : "parts", i.summary,
            ])
        }
        print(table.render())
    }
}
