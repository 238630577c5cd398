import FleetCore
import FleetStore
import FleetViews

/// The readable form of `fleetwatch history`: one row per metric with a sparkline of its samples
/// in the period (oldest left), min, avg, max and the last value (of rollups: the last hour's average).
struct HistoryTable {
    let result: HistoryQuery.Result
    let from: Double
    let until: Double
    let render: JSONRendering

    func text(device: String) -> String {
        let kind: String
        var rows:
            [(
                metric: String, points: [(time: Double, value: Double)], min: Double, avg: Double, max: Double,
                last: Double, count: Int
            )] = []
        switch result {
        case .raw(let points):
            kind = "raw samples"
            for metric in result.metrics {
                let mine = points.filter { $0.metric == metric }
                let values = mine.map(\.value)
                rows.append(
                    (
                        metric, mine.map { ($0.time, $0.value) }, values.min() ?? 0,
                        values.reduce(0, +) / Double(max(1, values.count)), values.max() ?? 0,
                        values.last ?? 0, values.count
                    ))
            }
        case .hourly(let hours):
            kind = "hourly rollups"
            for metric in result.metrics {
                let mine = hours.filter { $0.metric == metric }
                let count = mine.reduce(0) { $0 + $1.aggregate.count }
                rows.append(
                    (
                        metric, mine.map { ($0.time + 1800, $0.aggregate.average) },
                        mine.map(\.aggregate.min).min() ?? 0,
                        mine.reduce(0) { $0 + $1.aggregate.sum } / Double(max(1, count)),
                        mine.map(\.aggregate.max).max() ?? 0, mine.last?.aggregate.average ?? 0, count
                    ))
            }
        }
        var out = "\(device)  \(render.short(from)) → \(render.short(until))  (\(kind))"
        guard !rows.isEmpty else { return out + "\nno samples in this period" }
        var table = TextTable(["METRIC", "TREND", "MIN", "AVG", "MAX", "LAST", "SAMPLES"])
        for r in rows {
            table.add([
                r.metric, Sparkline.render(r.points), Self.number(r.min),
                Self.number(r.avg), Self.number(r.max), Self.number(r.last), String(r.count),
            ])
        }
        out += "\n" + table.render()
        return out
    }

    /// Whole numbers as such, others to two decimals: `87`, `36.52`.
    static func number(_ v: Double) -> String {
        let rounded = (v * 100).rounded() / 100
        return MetricValue.number(rounded).description
    }
}
