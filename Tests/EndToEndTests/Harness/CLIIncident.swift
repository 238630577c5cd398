import Foundation

/// One incident as `fleetwatch incidents --json` lists it (SPEC §8: every key always printed,
/// null where it does not apply).
struct CLIIncident: Decodable, Equatable {
    let id: String
    let priority: String
    let status: String
    let rule: String
    let scope: String
    let site: String?
    let kind: String?
    let device: String?
    let parent: String?
    let flapping: Bool
    let occurrences: Int
    let openedAt: String
    let acknowledgedAt: String?
    let resolvedAt: String?
    let respondBy: String?
    let onsiteBy: String?
    let summary: String

    enum CodingKeys: String, CodingKey {
        case id, priority, status, rule, scope, site, kind, device, parent, flapping, occurrences, summary
        case openedAt = "opened_at"
        case acknowledgedAt = "acknowledged_at"
        case resolvedAt = "resolved_at"
        case respondBy = "respond_by"
        case onsiteBy = "onsite_by"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        priority = try c.decode(String.self, forKey: .priority)
        status = try c.decode(String.self, forKey: .status)
        rule = try c.decode(String.self, forKey: .rule)
        scope = try c.decode(String.self, forKey: .scope)
        site = try c.present(String.self, .site)
        kind = try c.present(String.self, .kind)
        device = try c.present(String.self, .device)
        parent = try c.present(String.self, .parent)
        flapping = try c.decode(Bool.self, forKey: .flapping)
        occurrences = try c.decode(Int.self, forKey: .occurrences)
        openedAt = try c.decode(String.self, forKey: .openedAt)
        acknowledgedAt = try c.present(String.self, .acknowledgedAt)
        resolvedAt = try c.present(String.self, .resolvedAt)
        respondBy = try c.present(String.self, .respondBy)
        onsiteBy = try c.present(String.self, .onsiteBy)
        summary = try c.decode(String.self, forKey: .summary)
    }
}

/// `fleetwatch incident ID --json`: the incident's fields, its timeline and its children.
struct CLIIncidentDetail: Decodable {
    /// One timeline entry: the alert event's fields (`by`, `note`, `sla`…) or `GROUPED` with `parent`.
    struct Entry: Decodable, Equatable {
        let ts: String
        let event: String
        let priority: String
        let by: String?
        let note: String?
        let parent: String?
        let sla: String?
        /// The event's message (`OPEN`'s summary, a note's text).
        let msg: String?
    }

    let incident: CLIIncident
    let timeline: [Entry]
    let children: [CLIIncident]

    enum CodingKeys: String, CodingKey { case timeline, children }

    init(from decoder: Decoder) throws {
        incident = try CLIIncident(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        timeline = try c.decode([Entry].self, forKey: .timeline)
        children = try c.decode([CLIIncident].self, forKey: .children)
    }
}
