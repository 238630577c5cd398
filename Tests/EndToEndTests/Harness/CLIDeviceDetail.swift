import Foundation

/// `received` … `latency_ms` of SPEC §11, as `fleetwatch device --json` (under `quality`) and
/// `fleetwatch quality --json` (in each row) print them; every key always there.
struct CLIQuality: Decodable, Equatable {
    struct Latency: Decodable, Equatable {
        let p50: Double
        let p95: Double
    }

    let received: Int
    let lost: Int
    let duplicates: Int
    let outOfOrder: Int
    let reboots: Int
    let lossRatio: Double
    /// Nil without `ts`; the key is there anyway.
    let latencyMs: Latency?

    enum CodingKeys: String, CodingKey {
        case received, lost, duplicates, reboots
        case outOfOrder = "out_of_order"
        case lossRatio = "loss_ratio"
        case latencyMs = "latency_ms"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        received = try c.decode(Int.self, forKey: .received)
        lost = try c.decode(Int.self, forKey: .lost)
        duplicates = try c.decode(Int.self, forKey: .duplicates)
        outOfOrder = try c.decode(Int.self, forKey: .outOfOrder)
        reboots = try c.decode(Int.self, forKey: .reboots)
        lossRatio = try c.decode(Double.self, forKey: .lossRatio)
        latencyMs = try c.present(Latency.self, .latencyMs)
    }
}

/// `fleetwatch device ID --json` (SPEC §11): every key always printed, null where unknown.
struct CLIDeviceDetail: Decodable {
    let id: String
    let site: String
    let kind: String
    let name: String?
    let state: String
    let stateSince: String?
    let lastSeen: String?
    let health: String?
    let firmware: String?
    let uptimeS: Int?
    let errors: [String]
    /// Metric name → its last value, as JSON (number, boolean or string).
    let metrics: [String: MetricJSON]
    let clockSkew: Bool
    let quality: CLIQuality
    let windowS: Double
    /// SPEC §12: `{name, metric, value, reaches, eta, seconds_left}` per forecast of the device.
    let forecasts: [CLIForecast]
    let incidents: [String]
    /// From the running daemon (not SPEC: this CLI says where the values came from).
    let live: Bool

    enum MetricJSON: Decodable, Equatable {
        case number(Double)
        case bool(Bool)
        case string(String)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let n = try? c.decode(Double.self) {
                self = .number(n)
            } else {
                self = .string(try c.decode(String.self))
            }
        }
    }

    private struct QualityKeys: Decodable {
        let windowS: Double
        enum CodingKeys: String, CodingKey { case windowS = "window_s" }
    }

    enum CodingKeys: String, CodingKey {
        case id, site, kind, name, state, health, firmware, errors, metrics, quality, forecasts, incidents, live
        case stateSince = "state_since"
        case lastSeen = "last_seen"
        case uptimeS = "uptime_s"
        case clockSkew = "clock_skew"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        site = try c.decode(String.self, forKey: .site)
        kind = try c.decode(String.self, forKey: .kind)
        name = try c.present(String.self, .name)
        state = try c.decode(String.self, forKey: .state)
        stateSince = try c.present(String.self, .stateSince)
        lastSeen = try c.present(String.self, .lastSeen)
        health = try c.present(String.self, .health)
        firmware = try c.present(String.self, .firmware)
        uptimeS = try c.present(Int.self, .uptimeS)
        errors = try c.decode([String].self, forKey: .errors)
        metrics = try c.decode([String: MetricJSON].self, forKey: .metrics)
        clockSkew = try c.decode(Bool.self, forKey: .clockSkew)
        quality = try c.decode(CLIQuality.self, forKey: .quality)
        windowS = try c.decode(QualityKeys.self, forKey: .quality).windowS
        forecasts = try c.decode([CLIForecast].self, forKey: .forecasts)
        incidents = try c.decode([String].self, forKey: .incidents)
        live = try c.decode(Bool.self, forKey: .live)
    }
}

/// One row of `fleetwatch quality --json`: `id`, `site`, `kind` and the quality fields.
struct CLIQualityRow: Decodable {
    let id: String
    let site: String
    let kind: String
    let quality: CLIQuality

    enum CodingKeys: String, CodingKey { case id, site, kind }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        site = try c.decode(String.self, forKey: .site)
        kind = try c.decode(String.self, forKey: .kind)
        quality = try CLIQuality(from: decoder)
    }
}

/// The part of `fleetwatch status --json` SPEC §11 adds: the broker's `$SYS` values, and (this
/// CLI) the daemon's own lags.
struct CLIBrokerView: Decodable {
    struct Stats: Decodable, Equatable {
        let clientsConnected: Int?
        let messagesDropped: Int?
        let uptimeS: Int?
        let version: String?

        enum CodingKeys: String, CodingKey {
            case clientsConnected = "clients_connected"
            case messagesDropped = "messages_dropped"
            case uptimeS = "uptime_s"
            case version
        }
    }

    struct Lag: Decodable {
        let ingestS: Double?
        let flushS: Double?
        enum CodingKeys: String, CodingKey {
            case ingestS = "ingest_s"
            case flushS = "flush_s"
        }
    }

    let brokerStats: Stats
    /// How many keys `broker_stats` has (`{}` when the broker published nothing).
    let brokerStatsKeys: Int
    let lag: Lag

    enum CodingKeys: String, CodingKey {
        case brokerStats = "broker_stats"
        case lag
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        brokerStats = try c.decode(Stats.self, forKey: .brokerStats)
        brokerStatsKeys = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .brokerStats).allKeys.count
        lag = try c.decode(Lag.self, forKey: .lag)
    }
}

extension EndToEndTestCase {
    func deviceDetail(_ id: String) throws -> CLIDeviceDetail { try cliDecode(CLIDeviceDetail.self, ["device", id]) }

    func qualityRows(_ filters: [String] = []) throws -> [CLIQualityRow] {
        try cliDecode([CLIQualityRow].self, ["quality"] + filters)
    }

    func brokerView() throws -> CLIBrokerView { try cliDecode(CLIBrokerView.self, ["status"]) }
}
