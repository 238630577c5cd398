import Foundation

/// `fleetwatch report --format json`, decoded strictly: every key SPEC §13 names must be there
/// (null where it may be), with its type; the extra keys the tests read too.
struct CLIReport: Decodable {
    struct Period: Decodable {
        let from: String
        let to: String
        let timezone: String
        let serviceSeconds: Double
        let dataFrom: String?
        let month: String?
        enum CodingKeys: String, CodingKey {
            case from, to, timezone, month
            case serviceSeconds = "service_s"
            case dataFrom = "data_from"
        }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            from = try c.decode(String.self, forKey: .from)
            to = try c.decode(String.self, forKey: .to)
            timezone = try c.decode(String.self, forKey: .timezone)
            serviceSeconds = try c.decode(Double.self, forKey: .serviceSeconds)
            dataFrom = try c.present(String.self, .dataFrom)
            month = try c.present(String.self, .month)
        }
    }

    /// The fleet, a site, a kind or a device: the availability figures SPEC §13 gives each.
    struct Availability: Decodable {
        let devices: Int?
        let availability: Double?
        let downtime: Double
        let eligible: Double
        enum CodingKeys: String, CodingKey {
            case devices, availability
            case downtime = "downtime_s"
            case eligible = "eligible_s"
        }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            devices = try c.decodeIfPresent(Int.self, forKey: .devices)
            availability = try c.present(Double.self, .availability)
            downtime = try c.decode(Double.self, forKey: .downtime)
            eligible = try c.decode(Double.self, forKey: .eligible)
        }
    }

    struct Site: Decodable {
        let site: String
        let name: String
        let incidents: [String: Int]
        let figures: Availability
        enum CodingKeys: String, CodingKey { case site, name, incidents }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            site = try c.decode(String.self, forKey: .site)
            name = try c.decode(String.self, forKey: .name)
            incidents = try c.decode([String: Int].self, forKey: .incidents)
            figures = try Availability(from: decoder)
        }
    }

    struct Kind: Decodable {
        let kind: String
        let figures: Availability
        enum CodingKeys: String, CodingKey { case kind }
        init(from decoder: Decoder) throws {
            kind = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .kind)
            figures = try Availability(from: decoder)
        }
    }

    struct Device: Decodable {
        let id: String
        let site: String
        let kind: String
        let incidents: Int
        let reboots: Int?
        let figures: Availability
        enum CodingKeys: String, CodingKey { case id, site, kind, incidents, reboots }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            site = try c.decode(String.self, forKey: .site)
            kind = try c.decode(String.self, forKey: .kind)
            incidents = try c.decode(Int.self, forKey: .incidents)
            reboots = try c.present(Int.self, .reboots)
            figures = try Availability(from: decoder)
        }
    }

    struct Incidents: Decodable {
        let total: Int
        let byPriority: [String: Int]
        let byRule: [String: Int]
        let mtta: Double?
        let mttr: Double?
        enum CodingKeys: String, CodingKey {
            case total
            case byPriority = "by_priority"
            case byRule = "by_rule"
            case mtta = "mtta_s"
            case mttr = "mttr_s"
        }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            total = try c.decode(Int.self, forKey: .total)
            byPriority = try c.decode([String: Int].self, forKey: .byPriority)
            byRule = try c.decode([String: Int].self, forKey: .byRule)
            mtta = try c.present(Double.self, .mtta)
            mttr = try c.present(Double.self, .mttr)
        }
    }

    struct Compliance: Decodable {
        let met: Int
        let breached: Int
        let compliance: Double?
        enum CodingKeys: String, CodingKey { case met, breached, compliance }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            met = try c.decode(Int.self, forKey: .met)
            breached = try c.decode(Int.self, forKey: .breached)
            compliance = try c.present(Double.self, .compliance)
        }
    }

    /// SPEC §13 (and §6: the repair clock's `resolve` and `plan`).
    struct SLA: Decodable {
        let respond: Compliance
        let onsite: Compliance
        let resolve: Compliance
        let plan: Compliance
    }

    struct Risk: Decodable {
        let device: String?
        let rule: String
        let text: String
        enum CodingKeys: String, CodingKey { case device, rule, text }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            device = try c.present(String.self, .device)
            rule = try c.decode(String.self, forKey: .rule)
            text = try c.decode(String.self, forKey: .text)
        }
    }

    struct Recommendation: Decodable {
        let text: String
    }

    /// How one problem was handled (beyond SPEC §13).
    struct Handling: Decodable {
        let id: String
        let acknowledgedBy: String?
        let respond: String?
        enum CodingKeys: String, CodingKey {
            case id, respond
            case acknowledgedBy = "acknowledged_by"
        }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            acknowledgedBy = try c.present(String.self, .acknowledgedBy)
            respond = try c.present(String.self, .respond)
        }
    }

    let period: Period
    let fleet: Availability
    let sites: [Site]
    let kinds: [Kind]
    let devices: [Device]
    let incidents: Incidents
    let sla: SLA
    let risks: [Risk]
    let recommendations: [Recommendation]
    let handling: [Handling]
    let empty: Bool

    func device(_ id: String) -> Device? { devices.first { $0.id == id } }
}

extension EndToEndTestCase {
    /// `fleetwatch report ARGUMENTS --format json`, decoded; also returns the text it printed.
    func cliReport(_ arguments: [String]) throws -> (report: CLIReport, text: String) {
        let command = ["report"] + arguments + ["--format", "json"]
        let result = try cli(command)
        guard result.status == 0 else {
            throw HarnessError("fleetwatch \(command.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return (try decodeCLIOutput(CLIReport.self, from: result.stdout, command: command), result.stdout)
    }
}
