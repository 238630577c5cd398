import Foundation

/// `fleetwatch status --json` (SPEC §8), with the by-site breakdown this CLI adds.
struct CLIStatus: Decodable, Equatable {
    enum Daemon: String, Decodable { case running, stopped }
    enum Broker: String, Decodable { case connected, disconnected }

    struct Messages: Decodable, Equatable {
        let accepted: Int
        let rejected: [String: Int]
    }

    /// One `(site, kind, state)` with its device count.
    struct SiteCount: Decodable, Equatable, Hashable {
        let site: String
        let kind: String
        let state: String
        let count: Int
    }

    let daemon: Daemon
    let broker: Broker
    /// State → device count, every state listed (0 included).
    let devices: [String: Int]
    /// Priority → open incident count.
    let incidents: [String: Int]
    let messages: Messages
    let bySite: [SiteCount]
    /// When the daemon's engine loop last wrote its status row (about once a second).
    let updatedAt: String?

    enum CodingKeys: String, CodingKey {
        case daemon, broker, devices, incidents, messages
        case bySite = "by_site"
        case updatedAt = "updated_at"
    }
}
