import ArgumentParser
import FleetCore
import FleetViews

struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "One incident with its timeline and children.")

    @OptionGroup var options: ConfigOptions
    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @Flag(name: .long, help: "Print one JSON object.") var json = false

    func validate() throws {
        guard Incident.parseLabel(id) != nil else {
            throw ValidationError("incident id must look like INC-000123 (got \"\(id)\")")
        }
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
        show(
            "\(Incident.label(incident.id))  \(incident.priority.rawValue)  \(incident.status.rawValue)  rule=\(incident.rule)  \(scope)"
        )
        show("summary      \(incident.summary)")
        if let code = incident.code { show("error code   \(code)") }
        if !incident.errors.isEmpty { show("errors       \(incident.errors.joined(separator: ", "))") }
        show("opened       \(render.short(incident.openedAt))   occurrences \(incident.occurrences)")
        show("respond by   \(render.short(incident.respondBy))")
        if incident.partsAt == nil {
            show("resolve by   \(render.short(incident.resolveBy))")
        } else {
            show(
                "major part   \(render.short(incident.partsAt))   plan by \(render.short(incident.planBy))"
                    + (incident.plannedAt.map { "   planned \(render.short($0))" } ?? ""))
        }
        if incident.acknowledgedAt != nil { show("acknowledged \(render.short(incident.acknowledgedAt))") }
        if incident.dispatchedAt != nil {
            show("dispatched   \(render.short(incident.dispatchedAt))   on site by \(render.short(incident.onsiteBy))")
        }
        if incident.arrivedAt != nil { show("arrived      \(render.short(incident.arrivedAt))") }
        if incident.resolvedAt != nil { show("resolved     \(render.short(incident.resolvedAt))") }
        if let parent = incident.parent { show("part of      \(Incident.label(parent))") }
        print()
        show("timeline")
        for entry in document.timeline { show("  \(render.short(entry.time))  \(Self.text(entry))") }
        if !children.isEmpty {
            print()
            show("children")
            for c in children {
                show(
                    "  \(Incident.label(c.id))  \(c.priority.rawValue)  \(c.status.rawValue)  \(c.rule)  \(c.device ?? c.site ?? "")"
                )
            }
        }
    }

    /// One line of the readable view. Summaries, notes and every field can hold what devices and
    /// operators sent: their control characters are printed escaped (`TextSafety`).
    private func show(_ line: String) { print(TextSafety.forTerminal(line)) }

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
