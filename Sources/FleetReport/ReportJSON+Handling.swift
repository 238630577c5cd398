import FleetCore

/// The handling list, one object per problem, written straight into bytes: a month of 50,000
/// problems made this list most of the JSON report's time as `String`s (Benchmarks: report).
/// The same keys, in the same order, as the rest of the report writes them.
extension ReportJSON {
    static func handlingList(_ records: [HandlingRecord], _ format: TimeFormat) -> String {
        guard !records.isEmpty else { return "[]" }
        var out = JSONBytes(capacity: records.count * 700)
        out.raw("[\n  ")
        for (n, h) in records.enumerated() {
            if n > 0 { out.raw(",\n  ") }
            write(h, format, into: &out)
        }
        out.raw("\n]")
        return String(decoding: out.bytes, as: UTF8.self)
    }

    private static func write(_ h: HandlingRecord, _ f: TimeFormat, into out: inout JSONBytes) {
        let i = h.incident
        out.raw("{\"id\":")
        out.string(Incident.label(i.id))
        out.raw(",\"priority\":")
        out.string(i.priority.rawValue)
        out.raw(",\"rule\":")
        out.string(i.rule.rawValue)
        out.raw(",\"scope\":")
        out.string(i.scope.rawValue)
        out.raw(",\"site\":")
        out.string(i.site)
        out.raw(",\"kind\":")
        out.string(i.kind)
        out.raw(",\"device\":")
        out.string(i.device)
        out.raw(",\"summary\":")
        out.string(i.summary)
        out.raw(",\"status\":")
        out.string(i.status.rawValue)
        out.raw(",\"opened_at\":")
        out.time(i.openedAt, f)
        out.raw(",\"acknowledged_at\":")
        out.time(i.acknowledgedAt, f)
        out.raw(",\"acknowledged_by\":")
        out.string(h.acknowledgedBy)
        out.raw(",\"dispatched_at\":")
        out.time(i.dispatchedAt, f)
        out.raw(",\"dispatched_by\":")
        out.string(h.dispatchedBy)
        out.raw(",\"arrived_at\":")
        out.time(i.arrivedAt, f)
        out.raw(",\"arrived_by\":")
        out.string(h.arrivedBy)
        out.raw(",\"resolved_at\":")
        out.time(i.resolvedAt, f)
        out.raw(",\"resolved_by\":")
        out.string(h.resolvedBy)
        out.raw(",\"duration_s\":")
        out.bytes.append(contentsOf: (i.resolvedAt.map { seconds($0 - i.openedAt) } ?? .null).rendered.utf8)
        out.raw(",\"respond_by\":")
        out.time(i.respondBy, f)
        out.raw(",\"onsite_by\":")
        out.time(i.onsiteBy, f)
        out.raw(",\"resolve_by\":")
        out.time(i.resolveBy, f)
        out.raw(",\"parts_at\":")
        out.time(i.partsAt, f)
        out.raw(",\"parts_by\":")
        out.string(h.partsBy)
        out.raw(",\"plan_by\":")
        out.time(i.planBy, f)
        out.raw(",\"planned_at\":")
        out.time(i.plannedAt, f)
        out.raw(",\"planned_by\":")
        out.string(h.plannedBy)
        for clock in SLAClock.allCases {
            out.raw(",")
            out.string(clock.rawValue)
            out.raw(":")
            out.string(h.outcomes[clock]?.rawValue)
        }
        out.raw(",\"flapping\":")
        out.bool(h.flapped)
        out.raw(",\"children\":")
        out.bytes.append(contentsOf: String(h.childDevices.count).utf8)
        out.raw(",\"child_devices\":[")
        for (n, device) in h.childDevices.enumerated() {
            if n > 0 { out.raw(",") }
            out.string(device)
        }
        out.raw("],\"notes\":[")
        for (n, note) in h.notes.enumerated() {
            if n > 0 { out.raw(",") }
            out.raw("{\"ts\":")
            out.time(note.time, f)
            out.raw(",\"by\":")
            out.string(note.by)
            out.raw(",\"text\":")
            out.string(note.text)
            out.raw("}")
        }
        out.raw("]}")
    }
}
