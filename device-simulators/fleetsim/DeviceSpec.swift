/// Who a simulated device is and what its heartbeats carry.
struct DeviceSpec: Sendable {
    var id: String
    var site: String
    var kind: String

    static let builtInKinds = ["delivery-robot", "pickup-locker", "digital-human", "face-gate"]

    static let shortNames = [
        "delivery-robot": "robot", "pickup-locker": "locker", "digital-human": "kiosk", "face-gate": "gate",
    ]

    /// site01…siteNN, and per site and kind `robot-site01-01`, `locker-site01-01`, …
    static func fleet(sites: Int, perKind: Int, kinds: [String]) -> [DeviceSpec] {
        var out: [DeviceSpec] = []
        for s in 1...sites {
            let site = "site" + pad(s)
            for kind in kinds {
                let short = shortNames[kind] ?? kind
                for n in 1...perKind {
                    out.append(DeviceSpec(id: "\(short)-\(site)-\(pad(n))", site: site, kind: kind))
                }
            }
        }
        return out
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    func topic(_ prefix: String, _ channel: String) -> String { "\(prefix)/\(site)/\(kind)/\(id)/\(channel)" }
}

/// Builds heartbeat JSON by hand, independently of the daemon's decoder.
enum Payload {
    /// `interval` nil leaves `interval_s` out, so the daemon uses the kind's configured interval.
    static func heartbeat(
        seq: Int, uptime: Int, interval: Double?, health: String, errors: [String] = [],
        metrics: [String: String], unixMillis: Int64
    ) -> String {
        let metricText = metrics.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        let intervalText = interval.map { "\"interval_s\":\($0)," } ?? ""
        let errorText = errors.map { "\"\($0)\"" }.joined(separator: ",")
        return "{\"ts\":\(unixMillis),\"seq\":\(seq),\"uptime_s\":\(uptime),\(intervalText)"
            + "\"health\":\"\(health)\",\"errors\":[\(errorText)],\"metrics\":{\(metricText)},\"fw\":\"sim-1.0\"}"
    }

    /// Typical healthy readings per kind (JSON literals).
    static func healthyMetrics(kind: String) -> [String: String] {
        switch kind {
        case "delivery-robot": ["battery_pct": "87", "temp_c": "36.5"]
        case "pickup-locker": ["doors_faulted": "0", "temp_c": "24.0"]
        case "digital-human": ["camera_ok": "true", "display_ok": "true", "fps": "30"]
        case "face-gate": ["camera_ok": "true", "recognition_ms": "240"]
        default: [:]
        }
    }
}
