import FleetCore
import FleetViews

/// The shapes of SPEC §11: `fleetwatch device --json` and the rows of `fleetwatch quality --json`.
extension JSONRendering {
    /// `received` … `latency_ms` of a device's link quality: counts rounded to whole heartbeats,
    /// the ratio to three decimals, latencies to a tenth of a millisecond.
    func qualityPairs(_ q: LinkStats) -> [(String, JSONText.Value)] {
        let latency: JSONText.Value
        if let p50 = q.latencyP50, let p95 = q.latencyP95 {
            latency = .raw(JSONText.object([("p50", Self.number(p50, 10)), ("p95", Self.number(p95, 10))]))
        } else {
            latency = .null
        }
        return [
            ("received", .int(Int64(q.received.rounded()))), ("lost", .int(Int64(q.lost.rounded()))),
            ("duplicates", .int(Int64(q.duplicates.rounded()))), ("out_of_order", .int(Int64(q.outOfOrder.rounded()))),
            ("reboots", .int(Int64(q.reboots))), ("loss_ratio", Self.number(q.lossRatio, 1000)),
            ("latency_ms", latency),
        ]
    }

    func qualityRow(_ row: QualityRow) -> String {
        JSONText.object(
            [("id", .string(row.id)), ("site", .string(row.site)), ("kind", .string(row.kind))]
                + qualityPairs(row.quality))
    }

    /// One device in full; `forecasts` are its stored forecasts (SPEC §12), `seconds_left` counted from `now`.
    func device(_ d: DeviceDetail, forecasts: [ForecastStatus] = [], now: Double = 0) -> String {
        let r = d.record
        let metrics = d.metrics.map { metric -> (String, JSONText.Value) in
            switch metric.value {
            case .number(let n): (metric.name, .raw(MetricValue.number(n).description))
            case .bool(let b): (metric.name, .bool(b))
            case .string(let s): (metric.name, .string(s))
            }
        }
        let uptime: JSONText.Value = d.uptimeSeconds.map { .int(Int64($0.rounded(.down))) } ?? .null
        return JSONText.object([
            ("id", .string(r.id)), ("site", .string(r.site)), ("kind", .string(r.kind)), ("name", .optional(r.name)),
            ("state", .string(r.state.rawValue)), ("state_since", timestamp(r.stateSince)),
            ("last_seen", timestamp(r.lastSeen)), ("health", .optional(d.health?.rawValue)),
            ("firmware", .optional(r.firmware)), ("uptime_s", uptime),
            ("errors", .raw(JSONText.array(d.errors.map(JSONText.quote)))),
            ("metrics", .raw(JSONText.object(metrics))), ("clock_skew", .bool(r.clockSkewed)),
            (
                "quality",
                .raw(JSONText.object(qualityPairs(d.quality) + [("window_s", Self.number(d.windowSeconds, 1000))]))
            ),
            ("forecasts", .raw(self.forecasts(forecasts, now: now))),
            ("incidents", .raw(JSONText.array(d.openIncidents.map { JSONText.quote(Incident.label($0)) }))),
            ("live", .bool(d.live)), ("as_of", timestamp(d.asOf)),
        ])
    }
}
