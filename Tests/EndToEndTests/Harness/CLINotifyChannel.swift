import Foundation

/// One entry of `fleetwatch status --json`'s `notify` (SPEC §14): every key always printed.
struct CLINotifyChannel: Decodable, Equatable {
    let name: String
    let delivered: Int
    let pending: Int
    let failing: Bool
    let lastError: String?

    enum CodingKeys: String, CodingKey {
        case name, delivered, pending, failing
        case lastError = "last_error"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        delivered = try c.decode(Int.self, forKey: .delivered)
        pending = try c.decode(Int.self, forKey: .pending)
        failing = try c.decode(Bool.self, forKey: .failing)
        lastError = try c.present(String.self, .lastError)
    }
}

/// The webhook body a receiver gets (`format = "json"`, SPEC §14): the SPEC's keys must all be
/// there (null where they do not apply); the event's own fields follow.
struct ReceivedNotification: Decodable, Equatable {
    let id: String
    let event: String
    let incident: String?
    let priority: String
    let rule: String?
    let site: String?
    let kind: String?
    let device: String?
    let ts: String
    let respondBy: String?
    let onsiteBy: String?
    let msg: String?
    let sla: String?
    let due: String?
    let siteName: String?

    enum CodingKeys: String, CodingKey {
        case id, event, incident, priority, rule, site, kind, device, ts, msg, sla, due
        case respondBy = "respond_by"
        case onsiteBy = "onsite_by"
        case siteName = "site_name"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        event = try c.decode(String.self, forKey: .event)
        incident = try c.present(String.self, .incident)
        priority = try c.decode(String.self, forKey: .priority)
        rule = try c.present(String.self, .rule)
        site = try c.present(String.self, .site)
        kind = try c.present(String.self, .kind)
        device = try c.present(String.self, .device)
        ts = try c.decode(String.self, forKey: .ts)
        respondBy = try c.present(String.self, .respondBy)
        onsiteBy = try c.present(String.self, .onsiteBy)
        msg = try c.present(String.self, .msg)
        sla = try c.decodeIfPresent(String.self, forKey: .sla)
        due = try c.decodeIfPresent(String.self, forKey: .due)
        siteName = try c.decodeIfPresent(String.self, forKey: .siteName)
    }
}

private struct CLIStatusNotify: Decodable {
    let notify: [CLINotifyChannel]
}

extension EndToEndTestCase {
    /// `fleetwatch status --json`'s `notify`, typed.
    func notifyChannels() throws -> [CLINotifyChannel] { try cliDecode(CLIStatusNotify.self, ["status"]).notify }

    func notifyChannel(_ name: String) throws -> CLINotifyChannel? { try notifyChannels().first { $0.name == name } }
}

extension TestReceiver.Request {
    /// The body as the SPEC's webhook JSON; throws naming what is wrong.
    func notification() throws -> ReceivedNotification {
        do {
            return try JSONDecoder().decode(ReceivedNotification.self, from: Data(body.utf8))
        } catch {
            throw HarnessError("webhook body is not SPEC §14 JSON: \(error)\nbody: \(body)")
        }
    }
}
