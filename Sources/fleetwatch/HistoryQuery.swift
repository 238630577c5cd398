import FleetCore
import FleetStore

/// What `fleetwatch history` shows for a device and a period (SPEC §12): raw samples while the
/// period starts within `storage.history_raw_days`, hourly rollups otherwise (or with `--hourly`);
/// hours the daemon has not rolled up yet are rolled up here from their raw samples.
struct HistoryQuery {
    enum Result {
        case raw([HistoryPoint])
        case hourly([HistoryHourPoint])

        var metrics: [String] {
            var seen: [String] = []
            let names: [String]
            switch self {
            case .raw(let points): names = points.map(\.metric)
            case .hourly(let hours): names = hours.map(\.metric)
            }
            for name in names where !seen.contains(name) { seen.append(name) }
            return seen
        }

        func only(_ metric: String?) -> Result {
            guard let metric else { return self }
            switch self {
            case .raw(let points): return .raw(points.filter { $0.metric == metric })
            case .hourly(let hours): return .hourly(hours.filter { $0.metric == metric })
            }
        }
    }

    /// SQLite's or PostgreSQL's reader: the same answers from either.
    let store: any HistoryReading
    let device: String
    let from: Double
    let until: Double
    let hourly: Bool
    let now: Double
    /// How long raw samples are kept (`StorageSettings.historyRawSeconds`).
    let rawSeconds: Double

    /// The history of the period, every metric; nil when the device has none at all.
    func run() throws -> (result: Result, known: Set<String>)? {
        guard let key = try store.historyKey(device: device) else { return nil }
        let names = try store.historyMetricNames()
        let result: Result
        if !hourly && from >= now - rawSeconds {
            result = .raw(try store.historySamples(device: key, from: from, until: until, names: names))
        } else {
            result = .hourly(try hours(key, names))
        }
        var known = Set(result.metrics)
        for id in try store.historyMetrics(device: key) { if let name = names[id] { known.insert(name) } }
        // Metrics sent since the last rolled-up hour (not in history_series yet).
        let through = Double(try store.historyHoursThrough()) * 3600
        let recent = max(through, now - 3 * 3600)
        for point in try store.historySamples(device: key, from: recent, until: now + 60, names: names) {
            known.insert(point.metric)
        }
        return (result, known)
    }

    /// Rolled-up hours from the database, and the hours after the last one rolled up from raw.
    private func hours(_ key: Int64, _ names: [Int64: String]) throws -> [HistoryHourPoint] {
        let firstHour = Int64((from / 3600).rounded(.down))
        let endHour = Int64((until / 3600).rounded(.up))
        let through = try store.historyHoursThrough()
        var out = try store.historyHours(
            device: key, fromHour: firstHour, untilHour: min(endHour, through), names: names)
        var hour = max(firstHour, through)
        while hour < endHour {
            let start = Double(hour) * 3600
            let points = try store.historySamples(device: key, from: start, until: start + 3600, names: names)
            var byMetric: [(String, HistoryCodec.Aggregate)] = []
            for p in points {
                if let i = byMetric.firstIndex(where: { $0.0 == p.metric }) {
                    byMetric[i].1.add(p.value)
                } else {
                    byMetric.append((p.metric, HistoryCodec.Aggregate(p.value)))
                }
            }
            out += byMetric.map { HistoryHourPoint(time: start, metric: $0.0, aggregate: $0.1) }
            hour += 1
        }
        return out
    }
}
