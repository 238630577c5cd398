/// One row per problem, as operators read a list of incidents: an outage with its children
/// folded in (SPEC §8 `incidents`), in the order given.
public struct ProblemRow: Sendable, Equatable {
    public var incident: Incident
    /// Incidents of the list grouped under this one, at any depth.
    public var children: [Incident]

    public init(incident: Incident, children: [Incident] = []) {
        self.incident = incident
        self.children = children
    }

    /// Folds `incidents`: each child goes under its top-most ancestor in the list; an incident
    /// whose parent is not in the list (filtered out, say) is a row of its own.
    public static func fold(_ incidents: [Incident]) -> [ProblemRow] {
        var byID: [Int64: Incident] = [:]
        for incident in incidents { byID[incident.id] = incident }
        func root(of incident: Incident) -> Int64 {
            var current = incident
            var seen: Set<Int64> = [current.id]
            while let parent = current.parent, let next = byID[parent], seen.insert(next.id).inserted { current = next }
            return current.id
        }
        var children: [Int64: [Incident]] = [:]
        var roots: [Incident] = []
        for incident in incidents {
            let top = root(of: incident)
            if top == incident.id { roots.append(incident) } else { children[top, default: []].append(incident) }
        }
        return roots.map { ProblemRow(incident: $0, children: children[$0.id] ?? []) }
    }
}
