import FleetCore
import Foundation

/// The stable JSON shapes of SPEC §8. Keys are fixed and ordered; times are RFC 3339 with offset.
/// The one renderer of these shapes: `fleetwatch … --json` and the daemon's read API
/// (`/api/v1/…`, SPEC §16) both write through it, so the two are the same bytes.
public struct JSONRendering: Sendable {
    public let time: TimeFormat

    public init(time: TimeFormat) { self.time = time }

    public func timestamp(_ t: Double?) -> JSONText.Value { t.map { .string(time.format($0)) } ?? .null }

    /// One device as SPEC §8 names its fields, written straight into bytes: `devices --json`
    /// renders 100,000 of these (Benchmarks: cli). `extra` is more fields, already rendered
    /// (`,"key":value…`), added before the closing brace.
    public func device(_ d: DeviceRecord, into out: inout JSONBytes, extra: [UInt8] = []) {
        out.raw("{\"id\":")
        out.string(d.id)
        out.raw(",\"site\":")
        out.string(d.site)
        out.raw(",\"kind\":")
        out.string(d.kind)
        out.raw(",\"state\":")
        out.string(d.state.rawValue)
        out.raw(",\"state_since\":")
        out.time(d.stateSince, time)
        out.raw(",\"last_seen\":")
        out.time(d.lastSeen, time)
        out.raw(",\"name\":")
        out.string(d.name)
        out.raw(",\"inventory\":")
        out.bool(d.inventory)
        out.raw(",\"clock_skew\":")
        out.bool(d.clockSkewed)
        out.raw(",\"fw\":")
        out.string(d.firmware)
        out.bytes.append(contentsOf: extra)
        out.raw("}")
    }

    public func incidentPairs(_ i: Incident) -> [(String, JSONText.Value)] {
        [
            ("id", .string(Incident.label(i.id))), ("priority", .string(i.priority.rawValue)),
            ("status", .string(i.status.rawValue)), ("rule", .string(i.rule.rawValue)),
            ("scope", .string(i.scope.rawValue)),
            ("site", .optional(i.site)), ("kind", .optional(i.kind)), ("device", .optional(i.device)),
            ("parent", i.parent.map { .string(Incident.label($0)) } ?? .null), ("flapping", .bool(i.flapping)),
            ("occurrences", .int(Int64(i.occurrences))), ("opened_at", timestamp(i.openedAt)),
            ("acknowledged_at", timestamp(i.acknowledgedAt)), ("resolved_at", timestamp(i.resolvedAt)),
            ("respond_by", timestamp(i.respondBy)), ("onsite_by", timestamp(i.onsiteBy)),
            ("summary", .string(i.summary)), ("dispatched_at", timestamp(i.dispatchedAt)),
            ("arrived_at", timestamp(i.arrivedAt)), ("announced", .bool(i.announced)),
            ("resolve_by", timestamp(i.resolveBy)), ("parts_at", timestamp(i.partsAt)),
            ("plan_by", timestamp(i.planBy)),
            ("planned_at", timestamp(i.plannedAt)), ("extent", i.extent.map { .int(Int64($0)) } ?? .null),
            ("code", .optional(i.code)), ("errors", .raw(JSONText.array(i.errors.map(JSONText.quote)))),
            ("eta", timestamp(i.eta)),
        ]
    }

    public func incident(_ i: Incident) -> String { JSONText.object(incidentPairs(i)) }

    public func event(_ e: AlertEvent) -> String {
        var pairs: [(String, JSONText.Value)] = [
            ("ts", .string(time.format(e.time, milliseconds: true))), ("event", .string(e.kind.rawValue)),
            ("priority", .string(e.priority.rawValue)),
        ]
        for field in e.fields { pairs.append((field.key, .string(field.value))) }
        return JSONText.object(pairs)
    }

    /// A short display of a time in the table views: local date and time without the offset.
    public func short(_ t: Double?) -> String {
        guard let t else { return "-" }
        let full = time.format(t)
        return String(full.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// `x` rounded to 1/`scale`, written without a fraction when it is whole (`0`, `0.5`, `3600`).
    public static func number(_ x: Double, _ scale: Double) -> JSONText.Value {
        let r = (x * scale).rounded() / scale
        return r == r.rounded() && abs(r) < 1e15 ? .int(Int64(r)) : .double(r)
    }

}
