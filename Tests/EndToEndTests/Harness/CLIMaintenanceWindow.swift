import Foundation

/// One row of `fleetwatch maintenance list --json`; `every` and `next_start` (SPEC §10) and
/// `active` on every row, `every` null for a one-off window.
struct CLIMaintenanceWindow: Decodable, Equatable {
    let id: String
    let site: String?
    let device: String?
    let from: String
    let until: String
    let reason: String?
    let by: String?
    let every: String?
    let nextStart: String?
    let active: Bool

    enum CodingKeys: String, CodingKey {
        case id, site, device, from, until, reason, by, every, active
        case nextStart = "next_start"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        site = try c.present(String.self, .site)
        device = try c.present(String.self, .device)
        from = try c.decode(String.self, forKey: .from)
        until = try c.decode(String.self, forKey: .until)
        reason = try c.present(String.self, .reason)
        by = try c.present(String.self, .by)
        every = try c.present(String.self, .every)
        nextStart = try c.present(String.self, .nextStart)
        active = try c.decode(Bool.self, forKey: .active)
    }
}
