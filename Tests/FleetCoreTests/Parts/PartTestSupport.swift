@testable import FleetCore

/// Times for the engine parts' tests: `t` seconds after 2026-11-26T10:00:00+08:00 (a Thursday,
/// in service time); the monotonic clock is offset so a part that mixes the clocks is caught.
func at(_ t: Double) -> Moment { Moment(monotonic: 7_000 + t, wall: 1_795_658_400 + t) }

func robotRecord(_ id: String = "robot-01", site: String = "tianshan", state: DeviceState = .unknown) -> DeviceRecord {
    DeviceRecord(id: id, site: site, kind: "delivery-robot", inventory: false, state: state, stateSince: at(0).wall)
}

extension Array where Element == EngineEffect {
    var lines: [String] {
        compactMap {
            guard case .announce(let e) = $0 else { return nil }
            return "\(e.kind.rawValue) \(e.priority.rawValue) \(e.field("rule") ?? "-") #\(e.incidentID)"
        }
    }
}
