import FleetCore
import FleetStore

/// `fleetwatch incident ID` and `GET /api/v1/incidents/ID`: one incident with its timeline
/// (its events, and the moment it was grouped under its parent) and its children.
public struct IncidentDocument: Sendable {
    public let incident: Incident
    public let children: [Incident]
    public let timeline: [Entry]

    /// An event of the alert log, or the grouping, which is kept on the incident, not logged.
    public enum Entry: Sendable {
        case event(AlertEvent)
        case grouped(at: Double, under: Int64)

        public var time: Double {
            switch self {
            case .event(let e): e.time
            case .grouped(let at, _): at
            }
        }
    }

    /// nil for an unknown id.
    public static func load(_ id: Int64, from store: StoreReader) throws -> IncidentDocument? {
        guard let incident = try store.incident(id) else { return nil }
        var timeline = try store.events(of: id).map(Entry.event)
        if let grouped = incident.groupedAt, let parent = incident.parent {
            timeline.append(.grouped(at: grouped, under: parent))
            // Stable: the grouping goes after events of the same moment, as it always has.
            timeline = timeline.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
                .map(\.element)
        }
        return IncidentDocument(incident: incident, children: try store.children(of: id), timeline: timeline)
    }

    /// The JSON object (without a newline).
    public func json(_ render: JSONRendering) -> String {
        var pairs = render.incidentPairs(incident)
        pairs.append(
            (
                "timeline",
                .raw(
                    JSONText.array(
                        timeline.map { entry in
                            switch entry {
                            case .event(let e):
                                render.event(e)
                            case .grouped(let at, let parent):
                                JSONText.object([
                                    ("ts", .string(render.time.format(at, milliseconds: true))),
                                    ("event", .string("GROUPED")),
                                    ("priority", .string(incident.priority.rawValue)),
                                    ("parent", .string(Incident.label(parent))),
                                ])
                            }
                        }))
            ))
        pairs.append(("children", .raw(JSONText.array(children.map(render.incident)))))
        return JSONText.object(pairs)
    }
}
