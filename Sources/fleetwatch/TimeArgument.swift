import ArgumentParser
import FleetCore
import Foundation

/// `--until 2h`, `--from 2026-11-27T09:00:00+08:00`: RFC 3339 or a span from now (`ago`: a span
/// back from now, as `history --since 24h` means).
enum TimeArgument {
    static func parse(
        _ text: String, option: String, now: Double = Date().timeIntervalSince1970,
        ago: Bool = false
    ) throws -> Double {
        if let t = RFC3339.parse(text) { return t }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last, let scale = units[unit], let n = Double(text.dropLast()), n >= 0, n.isFinite {
            guard n * scale <= MaintenanceWindow.maxHorizonSeconds else {
                throw ValidationError(
                    "\(option) must be at most 10 years \(ago ? "back" : "from now") (got \"\(text)\")")
            }
            return ago ? now - n * scale : now + n * scale
        }
        let example = ago ? "90m, 24h, 7d" : "90m, 2h, 1d"
        throw ValidationError("\(option) must be an RFC 3339 time or a span like \(example) (got \"\(text)\")")
    }
}
