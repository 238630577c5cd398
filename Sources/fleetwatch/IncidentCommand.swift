import ArgumentParser
import FleetCore

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
        let number = Incident.parseLabel(id)!
        guard let incident = try store.incident(number) else {
            throw CLIFailure("no incident \(Incident.label(number)) (list them with: fleetwatch incidents --all)")
        }
        let events = try store.events(of: number)
        let children = try store.children(of: number)
        // Grouping is not an alert-log event; its time is kept on the incident and shown in order.
        var timeline = events.map { (time: $0.time, json: render.event($0), text: Self.text($0)) }
        if let grouped = incident.groupedAt, let parent = incident.parent {
            timeline.append((time: grouped, json: JSONText.object([
                ("ts", .string(render.time.format(grouped, milliseconds: true))), ("event", .string("GROUPED")),
                ("priority", .string(incident.priority.rawValue)), ("parent", .string(Incident.label(parent))),
            ]), text: "GROUPED    under \(Incident.label(parent))"))
            timeline.sort { $0.time < $1.time }
        }
        if json {
            var pairs = render.incidentPairs(incident)
            pairs.append(("timeline", .raw(JSONText.array(timeline.map(\.json)))))
            pairs.append(("children", .raw(JSONText.array(children.map(render.incident)))))
            print(JSONText.object(pairs))
            return
        }
        let scope = [incident.site, incident.kind, incident.device].compactMap { $0 }.joined(separator: "/")
        show("\(Incident.label(incident.id))  \(incident.priority.rawValue)  \(incident.status.rawValue)  rule=\(incident.rule)  \(scope)")
        show("summary      \(incident.summary)")
        show("opened       \(render.short(incident.openedAt))   occurrences \(incident.occurrences)")
        show("respond by   \(render.short(incident.respondBy))")
        if incident.partsAt == nil {
            show("resolve by   \(render.short(incident.resolveBy))")
        } else {
            show("major part   \(render.short(incident.partsAt))   plan by \(render.short(incident.planBy))"
                + (incident.plannedAt.map { "   planned \(render.short($0))" } ?? ""))
        }
        if incident.acknowledgedAt != nil { show("acknowledged \(render.short(incident.acknowledgedAt))") }
        if incident.dispatchedAt != nil { show("dispatched   \(render.short(incident.dispatchedAt))   on site by \(render.short(incident.onsiteBy))") }
        if incident.arrivedAt != nil { show("arrived      \(render.short(incident.arrivedAt))") }
        if incident.resolvedAt != nil { show("resolved     \(render.short(incident.resolvedAt))") }
        if let parent = incident.parent { show("part of      \(Incident.label(parent))") }
        print()
        show("timeline")
        for entry in timeline { show("  \(render.short(entry.time))  \(entry.text)") }
        if !children.isEmpty {
            print()
            show("children")
            for c in children {
                show("  \(Incident.label(c.id))  \(c.priority.rawValue)  \(c.status.rawValue)  \(c.rule)  \(c.device ?? c.site ?? "")")
            }
        }
    }

    /// One line of the readable view. Summaries, notes and every field can hold what devices and
    /// operators sent: their control characters are printed escaped (`TextSafety`).
    private func show(_ line: String) { print(TextSafety.forTerminal(line)) }

    static func text(_ e: AlertEvent) -> String {
        let detail = e.fields.filter { !["rule", "site", "kind", "device"].contains($0.key) }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "  ")
        return "\(e.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(detail)"
    }
}
