/// One hour of raw samples folded into per-device, per-metric min/max/sum/count, the same way on
/// both backends: the samples go in key order (minute, device, ms), so sums, and with them the
/// averages, come out the same to the last bit; metrics keep the order they first appeared in.
struct HistoryHourAccumulator {
    let hour: Int64
    private var byDevice: [Int64: [(metric: Int64, aggregate: HistoryCodec.Aggregate)]] = [:]

    init(hour: Int64) { self.hour = hour }

    /// One sample row's blob (`HistoryCodec.encodeSample`); a blob that does not decode is skipped.
    mutating func add(device: Int64, data: [UInt8]) {
        guard let values = HistoryCodec.decodeSample(data) else { return }
        var metrics = byDevice[device] ?? []
        for (metric, value) in values {
            if let k = metrics.firstIndex(where: { $0.metric == metric }) {
                metrics[k].aggregate.add(value)
            } else {
                metrics.append((metric, HistoryCodec.Aggregate(value)))
            }
        }
        byDevice[device] = metrics
    }

    /// The hour's rows and series, by device key.
    func batch(completesHour: Bool) -> HistoryRollupBatch {
        var rows: [HistoryHourRow] = []
        var series: [HistorySeries] = []
        for device in byDevice.keys.sorted() {
            guard let metrics = byDevice[device] else { continue }
            rows.append(HistoryHourRow(hour: hour, device: device, data: HistoryCodec.encodeHour(metrics)))
            series += metrics.map { HistorySeries(device: device, metric: $0.metric) }
        }
        return HistoryRollupBatch(hour: hour, rows: rows, series: series, completesHour: completesHour)
    }
}
