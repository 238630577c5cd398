import ArgumentParser
import FleetCore
import FleetViews

struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "incident", abstract: "One incident with its timeline and children.")

    @OptionGroup var options: ConfigOptions
    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @Flag(name: .long, help: "Print one JSON object.") var json = false

    func validate() throws {
        guard Incident.parseLabel(id) != nil else { throw ValidationError("incident id must look like INC-000123 (got \"\(id)\")") }
    }

    func run() throws {
        let configuration = try options.load()
        let store = try options.openStore(configuration)
        let render = JSONRendering(time: TimeFormat(zoneIdentifier: configuration.sla.timezone))
        guard let number = Incident.parseLabel(id) else { throw CLIFailure("incident id must look like INC-000123") }
        guard let document = try IncidentDocument.load(number, from: store) else {
            throw CLIFailure("no incident \(Incident.label(number)) (list them with: fleetwatch incidents --all)")
        }
        if json {
            print(document.json(render))
            return
        }
        let (incident, children) = (document.incident, document.children)
        let scope = [incident.site, incident.kind, incident.device].compactMap { $0 }.joined(separator: "/")
        print("\(Incident.label(incident.id))  \(incident.priority.rawValue)  \(incident.status.rawValue)  rule=\(incident.rule)  \(scope)")
        print("summary      \(incident.summary)")
        if let code = incident.code { print("error code   \(code)") }
        if !incident.errors.isEmpty { print("errors       \(incident.errors.joined(separator: ", "))") }
        print("opened       \(render.short(incident.openedAt))   occurrences \(incident.occurrences)")
        print("respond by   \(render.short(incident.respondBy))")
        if incident.partsAt == nil {
            print("resolve by   \(render.short(incident.resolveBy))")
        } else {
            print("major part   \(render.short(incident.partsAt))   plan by \(render.short(incident.planBy))"
                + (incident.plannedAt.map { "   planned \(render.short($0))" } ?? ""))
        }
        if incident.acknowledgedAt != nil { print("acknowledged \(render.short(incident.acknowledgedAt))") }
        if incident.dispatchedAt != nil { print("dispatched   \(render.short(incident.dispatchedAt))   on site by \(render.short(incident.onsiteBy))") }
        if incident.arrivedAt != nil { print("arrived      \(render.short(incident.arrivedAt))") }
        if incident.resolvedAt != nil { print("resolved     \(render.short(incident.resolvedAt))") }
        if let parent = incident.parent { print("part of      \(Incident.label(parent))") }
        print("\ntimeline")
        for entry in document.timeline { print("  \(render.short(entry.time))  \(Self.text(entry))") }
        if !children.isEmpty {
            print("\nchildren")
            for c in children {
                print("  \(Incident.label(c.id))  \(c.priority.rawValue)  \(c.status.rawValue)  \(c.rule)  \(c.device ?? c.site ?? "")")
            }
        }
    }

    static func text(_ entry: IncidentDocument.Entry) -> String {
        switch entry {
        case .event(let e): text(e)
        case .grouped(_, let parent): "GROUPED    under \(Incident.label(parent))"
        }
    }

    static func text(_ e: AlertEvent) -> String {
        let detail = e.fields.filter { !["rule", "site", "kind", "device"].contains($0.key) }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "  ")
        return "\(e.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(detail)"
    }
}
