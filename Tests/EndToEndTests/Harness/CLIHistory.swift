import Foundation

/// One raw sample of `fleetwatch history --json` (SPEC §12): `{ts, metric, value}`.
struct CLIHistorySample: Decodable, Equatable {
    let ts: String
    let metric: String
    let value: Double
}

/// One hour of `fleetwatch history --hourly --json`: `{ts, metric, min, avg, max, count}`.
struct CLIHistoryHour: Decodable, Equatable {
    let ts: String
    let metric: String
    let min: Double
    let avg: Double
    let max: Double
    let count: Int
}

/// One forecast of `fleetwatch device --json` (SPEC §12): `{name, metric, value, reaches, eta,
/// seconds_left}`, eta and seconds_left null when the trend does not reach the level.
struct CLIForecast: Decodable, Equatable {
    let name: String
    let metric: String
    let value: Double
    let reaches: Double
    let eta: String?
    let secondsLeft: Double?

    enum CodingKeys: String, CodingKey {
        case name, metric, value, reaches, eta
        case secondsLeft = "seconds_left"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        metric = try c.decode(String.self, forKey: .metric)
        value = try c.decode(Double.self, forKey: .value)
        reaches = try c.decode(Double.self, forKey: .reaches)
        eta = try c.present(String.self, .eta)
        secondsLeft = try c.present(Double.self, .secondsLeft)
    }
}

/// The part of `fleetwatch device --json` about forecasts.
struct CLIDeviceForecasts: Decodable {
    let id: String
    let forecasts: [CLIForecast]
}
