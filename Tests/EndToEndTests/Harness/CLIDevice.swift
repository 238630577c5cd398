import Foundation

/// One row of `fleetwatch devices --json` (SPEC §8: id, site, kind, state, state_since,
/// last_seen; this CLI adds name, inventory, clock_skew, fw, and the site's opening hours:
/// schedule, next_open, next_close).
struct CLIDevice: Decodable, Equatable {
    let id: String
    let site: String
    let kind: String
    let state: String
    let stateSince: String?
    let lastSeen: String?
    let clockSkew: Bool
    let schedule: String?
    let nextOpen: String?
    let nextClose: String?

    enum CodingKeys: String, CodingKey {
        case id, site, kind, state, schedule
        case stateSince = "state_since"
        case lastSeen = "last_seen"
        case clockSkew = "clock_skew"
        case nextOpen = "next_open"
        case nextClose = "next_close"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        site = try c.decode(String.self, forKey: .site)
        kind = try c.decode(String.self, forKey: .kind)
        state = try c.decode(String.self, forKey: .state)
        stateSince = try c.present(String.self, .stateSince)
        lastSeen = try c.present(String.self, .lastSeen)
        clockSkew = try c.decode(Bool.self, forKey: .clockSkew)
        schedule = try c.present(String.self, .schedule)
        nextOpen = try c.present(String.self, .nextOpen)
        nextClose = try c.present(String.self, .nextClose)
    }
}
