import FleetCore
import SQLite

/// Row ↔ value mapping shared by the writer and the reader.
enum Rows {
    static let deviceColumns = "id, site, kind, name, inventory, state, state_since, last_seen, clock_skewed, firmware"

    static func device(_ r: some StoreRow) -> DeviceRecord {
        DeviceRecord(
            id: r.text(0), site: r.text(1), kind: r.text(2), name: r.optionalText(3),
            inventory: r.int(4) != 0, state: DeviceState(rawValue: r.text(5)) ?? .unknown,
            stateSince: r.double(6), lastSeen: r.optionalDouble(7), clockSkewed: r.int(8) != 0,
            firmware: r.optionalText(9))
    }

    static func values(_ d: DeviceRecord) -> [SQLValue] {
        [
            .text(d.id), .text(d.site), .text(d.kind), SQLValue(d.name), .integer(d.inventory ? 1 : 0),
            .text(d.state.rawValue), .real(d.stateSince), SQLValue(d.lastSeen), .integer(d.clockSkewed ? 1 : 0),
            SQLValue(d.firmware),
        ]
    }

    static let incidentColumns = """
        id, priority, status, rule, scope, site, kind, device, parent, flapping, occurrences, opened_at, \
        acknowledged_at, resolved_at, respond_by, onsite_by, summary, last_seen_at, condition, announced, \
        dispatched_at, arrived_at, respond_breached, onsite_breached, grouped_at, extent, \
        resolve_by, parts_at, plan_by, planned_at, resolve_breached, plan_breached, \
        respond_warned, onsite_warned, resolve_warned, plan_warned, code, errors, eta
        """

    static func incident(_ r: some StoreRow) -> Incident {
        var i = Incident(
            id: r.int(0), priority: Priority(rawValue: r.text(1)) ?? .p2,
            status: IncidentStatus(rawValue: r.text(2)) ?? .open, rule: RuleID(r.text(3)),
            scope: IncidentScope(rawValue: r.text(4)) ?? .device, site: r.optionalText(5),
            kind: r.optionalText(6), device: r.optionalText(7), parent: r.optionalInt(8),
            flapping: r.int(9) != 0, occurrences: Int(r.int(10)), openedAt: r.double(11),
            acknowledgedAt: r.optionalDouble(12), resolvedAt: r.optionalDouble(13),
            respondBy: r.optionalDouble(14), onsiteBy: r.optionalDouble(15), summary: r.text(16),
            lastSeenAt: r.double(17), condition: r.optionalText(18).map { RuleID($0) }, announced: r.int(19) != 0)
        i.dispatchedAt = r.optionalDouble(20)
        i.arrivedAt = r.optionalDouble(21)
        i.respondBreached = r.int(22) != 0
        i.onsiteBreached = r.int(23) != 0
        i.groupedAt = r.optionalDouble(24)
        i.extent = r.optionalInt(25).map { Int($0) }
        i.resolveBy = r.optionalDouble(26)
        i.partsAt = r.optionalDouble(27)
        i.planBy = r.optionalDouble(28)
        i.plannedAt = r.optionalDouble(29)
        i.resolveBreached = r.int(30) != 0
        i.planBreached = r.int(31) != 0
        i.respondWarned = r.int(32) != 0
        i.onsiteWarned = r.int(33) != 0
        i.resolveWarned = r.int(34) != 0
        i.planWarned = r.int(35) != 0
        i.code = r.optionalText(36)
        i.errors = ListText.decode(r.text(37))
        i.eta = r.optionalDouble(38)
        return i
    }

    static func values(_ i: Incident) -> [SQLValue] {
        [
            .integer(i.id), .text(i.priority.rawValue), .text(i.status.rawValue), .text(i.rule.rawValue),
            .text(i.scope.rawValue),
            SQLValue(i.site), SQLValue(i.kind), SQLValue(i.device), i.parent.map { .integer($0) } ?? .null,
            .integer(i.flapping ? 1 : 0), .integer(Int64(i.occurrences)), .real(i.openedAt),
            SQLValue(i.acknowledgedAt), SQLValue(i.resolvedAt), SQLValue(i.respondBy), SQLValue(i.onsiteBy),
            .text(i.summary), .real(i.lastSeenAt), .text(i.condition.rawValue), .integer(i.announced ? 1 : 0),
            SQLValue(i.dispatchedAt), SQLValue(i.arrivedAt), .integer(i.respondBreached ? 1 : 0),
            .integer(i.onsiteBreached ? 1 : 0), SQLValue(i.groupedAt), i.extent.map { .integer(Int64($0)) } ?? .null,
            SQLValue(i.resolveBy), SQLValue(i.partsAt), SQLValue(i.planBy), SQLValue(i.plannedAt),
            .integer(i.resolveBreached ? 1 : 0), .integer(i.planBreached ? 1 : 0),
            .integer(i.respondWarned ? 1 : 0), .integer(i.onsiteWarned ? 1 : 0),
            .integer(i.resolveWarned ? 1 : 0), .integer(i.planWarned ? 1 : 0),
            SQLValue(i.code), .text(ListText.encode(i.errors)), SQLValue(i.eta),
        ]
    }

    static let maintenanceColumns = "id, site, device, starts_at, ends_at, reason, created_by, removed_at, every"

    /// A recurrence this build cannot read (written by a newer one) leaves the window inert, as
    /// removed when it started, rather than covering everything from `starts_at` to `ends_at`.
    static func maintenance(_ r: some StoreRow) -> MaintenanceWindow {
        var window = MaintenanceWindow(
            id: r.int(0), site: r.optionalText(1), device: r.optionalText(2),
            from: r.double(3), until: r.double(4), reason: r.optionalText(5),
            createdBy: r.optionalText(6), removedAt: r.optionalDouble(7))
        if let text = r.optionalText(8) {
            switch MaintenanceRecurrence.parse(text) {
            case .success(let every): window.every = every
            case .failure: window.removedAt = window.removedAt ?? window.from
            }
        }
        return window
    }

    static func values(_ w: MaintenanceWindow) -> [SQLValue] {
        [
            .integer(w.id), SQLValue(w.site), SQLValue(w.device), .real(w.from), .real(w.until), SQLValue(w.reason),
            SQLValue(w.createdBy), SQLValue(w.removedAt), SQLValue(w.every?.text),
        ]
    }

    static let forecastColumns = "device, name, metric, value, reaches, eta, updated_at"

    static func forecast(_ r: some StoreRow) -> ForecastStatus {
        ForecastStatus(
            device: r.text(0), name: r.text(1), metric: r.text(2), value: r.double(3), reaches: r.double(4),
            eta: r.optionalDouble(5), updatedAt: r.double(6))
    }

    static func values(_ f: ForecastStatus) -> [SQLValue] {
        [
            .text(f.device), .text(f.name), .text(f.metric), .real(f.value), .real(f.reaches), SQLValue(f.eta),
            .real(f.updatedAt),
        ]
    }

    static let eventColumns = "seq, incident, ts, event, priority, fields"

    static func event(_ r: some StoreRow) -> AlertEvent {
        AlertEvent(
            sequence: r.int(0), time: r.double(2), kind: AlertEvent.Kind(rawValue: r.text(3)) ?? .note,
            priority: Priority(rawValue: r.text(4)) ?? .p2, incidentID: r.int(1),
            fields: EventFields.decode(r.text(5)))
    }
}

/// The `device_details` table: a device's last in-memory values, with its `devices` row.
extension Rows {
    static let detailColumns = """
        id, health, uptime_s, errors, metrics, received, lost, duplicates, out_of_order, reboots, latency_p50, \
        latency_p95, window_s, as_of
        """

    /// The device's columns (0–9), then its details' (10–22), from `devices d LEFT JOIN device_details x`.
    static var detailQueryColumns: String {
        qualified(deviceColumns, "d") + ", "
            + qualified(detailColumns, "x").split(separator: ",").dropFirst()
            .joined(separator: ",")
    }

    static func qualified(_ columns: String, _ table: String) -> String {
        columns.split(separator: ",").map { table + "." + $0.filter { $0 != " " } }.joined(separator: ", ")
    }

    static func values(_ d: DeviceDetail) -> [SQLValue] {
        [
            .text(d.record.id), SQLValue(d.health?.rawValue), SQLValue(d.uptimeSeconds),
            .text(ListText.encode(d.errors)),
            .text(MetricText.encode(d.metrics)), .real(d.quality.received), .real(d.quality.lost),
            .real(d.quality.duplicates), .real(d.quality.outOfOrder), .integer(Int64(d.quality.reboots)),
            SQLValue(d.quality.latencyP50), SQLValue(d.quality.latencyP95), .real(d.windowSeconds), .real(d.asOf),
        ]
    }

    /// A row of `detailQueryColumns`; a device without details has empty values as of its last seen.
    static func detail(_ r: some StoreRow, windowSeconds: Double) -> DeviceDetail {
        let record = device(r)
        guard !r.isNull(22) else {
            let asOf = record.lastSeen ?? record.stateSince
            return DeviceDetail(record: record, windowSeconds: windowSeconds, asOf: asOf, live: false)
        }
        let quality = LinkStats(
            received: r.double(14), lost: r.double(15), duplicates: r.double(16),
            outOfOrder: r.double(17), reboots: Int(r.int(18)), latencyP50: r.optionalDouble(19),
            latencyP95: r.optionalDouble(20))
        return DeviceDetail(
            record: record, health: r.optionalText(10).flatMap(Heartbeat.Health.init(rawValue:)),
            uptimeSeconds: r.optionalDouble(11), errors: ListText.decode(r.text(12)),
            metrics: MetricText.decode(r.text(13)),
            quality: quality, windowSeconds: r.double(21), asOf: r.double(22), live: false)
    }
}

/// A list of codes in one text column, separated by U+001F (never in our codes' sensible values).
enum ListText {
    static func encode(_ items: [String]) -> String { items.joined(separator: "\u{1F}") }

    static func decode(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }
}

/// Metrics in one text column: `name␟type␟value` records separated by U+001E, type `n`, `b` or `s`.
enum MetricText {
    static func encode(_ metrics: [Metric]) -> String {
        metrics.map { metric in
            let (type, value): (String, String)
            switch metric.value {
            case .number(let n): (type, value) = ("n", "\(n)")
            case .bool(let b): (type, value) = ("b", b ? "1" : "0")
            case .string(let s): (type, value) = ("s", s)
            }
            return "\(metric.name)\u{1F}\(type)\u{1F}\(value)"
        }.joined(separator: "\u{1E}")
    }

    static func decode(_ text: String) -> [Metric] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: false).compactMap { record in
            let parts = record.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false)
                .map(String.init)
            guard parts.count == 3 else { return nil }
            switch parts[1] {
            case "n": return Double(parts[2]).map { Metric(name: parts[0], value: .number($0)) }
            case "b": return Metric(name: parts[0], value: .bool(parts[2] == "1"))
            default: return Metric(name: parts[0], value: .string(parts[2]))
            }
        }
    }
}
