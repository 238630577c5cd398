import FleetCore

/// `--format json`: SPEC §13's keys (period, fleet, sites, kinds, devices, incidents, sla, risks,
/// recommendations) and more (handling, top, daily, maintenance). One top-level key per line,
/// one array element per line, so it also reads and diffs well. Seconds are rounded to the
/// millisecond, and each availability is computed from the rounded figures it sits next to.
public enum ReportJSON {
    public static func render(_ r: InspectionReport) -> String {
        let p = ReportPhrases(r.input.language, localTime: r.localTime, siteNames: r.input.siteNames)
        let t = { (x: Double?) -> JSONText.Value in x.map { .string(r.localTime.format.format($0)) } ?? .null }
        var top: [(String, String)] = []
        top.append(("title", JSONText.quote(p.words.title)))
        top.append(("language", JSONText.quote(r.input.language.rawValue)))
        top.append(("generated_at", t(r.input.generatedAt).rendered))
        top.append(("empty", r.isEmpty ? "true" : "false"))
        top.append(
            (
                "period",
                JSONText.object([
                    ("from", t(r.input.period.from)), ("to", t(r.input.period.to)),
                    ("timezone", .string(r.input.sla.timezone)), ("service_s", seconds(r.serviceSeconds)),
                    ("month", .optional(r.input.period.month)), ("site", .optional(r.input.site)),
                    ("data_from", t(r.dataFrom)), ("history_since", t(r.input.historySince)),
                    ("service_calendar", .string(p.calendar(r.input.sla))),
                ])
            ))
        top.append(("fleet", JSONText.object(totalPairs(r.fleet))))
        top.append(
            (
                "sites",
                lines(
                    r.sites.map { s in
                        JSONText.object(
                            [("site", .string(s.id)), ("name", .string(r.siteName(s.id)))] + totalPairs(s.total)
                                + [
                                    (
                                        "incidents",
                                        .raw(JSONText.object([("P1", .int(Int64(s.p1))), ("P2", .int(Int64(s.p2)))]))
                                    )
                                ])
                    })
            ))
        top.append(("kinds", lines(r.kinds.map { JSONText.object([("kind", .string($0.id))] + totalPairs($0.total)) })))
        top.append(
            (
                "devices",
                lines(
                    r.listedDevices.map { d in
                        JSONText.object(
                            [
                                ("id", .string(d.id)), ("site", .string(d.site)), ("kind", .string(d.kind)),
                                ("name", .optional(d.name)),
                            ]
                                + availabilityPairs(
                                    devices: nil, eligible: d.eligible, downtime: d.downtime,
                                    maintenance: d.maintenance, sleeping: d.sleeping)
                                + [
                                    ("incidents", .int(Int64(d.incidents))),
                                    ("grouped_incidents", .int(Int64(d.grouped))),
                                    ("reboots", d.reboots.map { .int(Int64($0)) } ?? .null),
                                    ("firmware", .optional(d.firmware)),
                                ])
                    })
            ))
        top.append(("incidents", incidents(r.incidents)))
        top.append(("sla", sla(r.sla)))
        top.append(("handling", handlingList(r.handling, r.localTime.format)))
        top.append(
            (
                "top",
                JSONText.object([
                    (
                        "by_downtime",
                        .raw(
                            JSONText.array(
                                r.topByDowntime(10).map {
                                    JSONText.object([
                                        ("id", .string($0.id)), ("site", .string($0.site)),
                                        ("downtime_s", seconds($0.downtime)),
                                        ("availability", ratio($0.availability)),
                                    ])
                                }))
                    ),
                    (
                        "by_incidents",
                        .raw(
                            JSONText.array(
                                r.topByIncidents(10).map {
                                    JSONText.object([
                                        ("id", .string($0.id)), ("site", .string($0.site)),
                                        ("incidents", .int(Int64($0.incidents))),
                                        ("downtime_s", seconds($0.downtime)),
                                    ])
                                }))
                    ),
                ])
            ))
        top.append(("daily", daily(r)))
        top.append(
            (
                "maintenance",
                lines(
                    r.input.maintenance.map { w in
                        JSONText.object([
                            ("id", .string(MaintenanceWindow.label(w.id))), ("site", .optional(w.site)),
                            ("device", .optional(w.device)), ("from", t(w.from)), ("until", t(w.until)),
                            ("removed_at", t(w.removedAt)), ("every", .optional(w.every?.text)),
                            ("reason", .optional(w.reason)),
                            ("by", .optional(w.createdBy)),
                        ])
                    })
            ))
        top.append(
            (
                "risks",
                lines(
                    r.risks.map { k in
                        JSONText.object([
                            ("kind", .string(k.kind.rawValue)), ("device", .optional(k.device)),
                            ("site", .optional(k.site)),
                            ("rule", .string(k.rule)), ("text", .string(k.text)), ("plan", .string(k.plan)),
                            ("evidence", .raw(JSONText.array(k.evidence.map(JSONText.quote)))),
                        ])
                    })
            ))
        top.append(
            (
                "recommendations",
                lines(
                    r.recommendations.map { c in
                        JSONText.object([
                            ("text", .string(c.text)),
                            ("evidence", .raw(JSONText.array(c.evidence.map(JSONText.quote)))),
                        ])
                    })
            ))
        return "{\n" + top.map { "\(JSONText.quote($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    static func seconds(_ s: Double) -> JSONText.Value { .double(rounded(s)) }
    static func rounded(_ s: Double) -> Double { (s * 1000).rounded() / 1000 }
    static func ratio(_ x: Double?) -> JSONText.Value { x.map { .double($0) } ?? .null }

    static func availabilityPairs(
        devices: Int?, eligible: Double, downtime: Double, maintenance: Double,
        sleeping: Double
    ) -> [(String, JSONText.Value)] {
        let e = rounded(eligible)
        let d = rounded(downtime)
        var pairs: [(String, JSONText.Value)] = devices.map { [("devices", .int(Int64($0)))] } ?? []
        pairs += [
            ("availability", e > 0 ? .double(1 - d / e) : .null), ("downtime_s", .double(d)),
            ("eligible_s", .double(e)), ("maintenance_s", seconds(maintenance)), ("sleeping_s", seconds(sleeping)),
        ]
        return pairs
    }

    static func totalPairs(_ t: AvailabilityTotal) -> [(String, JSONText.Value)] {
        availabilityPairs(
            devices: t.devices, eligible: t.eligible, downtime: t.downtime, maintenance: t.maintenance,
            sleeping: t.sleeping)
    }

    static func incidents(_ f: IncidentFigures) -> String {
        let rules = f.byRule.keys.sorted().map { ($0, JSONText.Value.int(Int64(f.byRule[$0] ?? 0))) }
        let optional = { (x: Double?) -> JSONText.Value in x.map(seconds) ?? .null }
        return JSONText.object([
            ("total", .int(Int64(f.total))),
            (
                "by_priority",
                .raw(
                    JSONText.object([
                        ("P1", .int(Int64(f.byPriority[.p1] ?? 0))),
                        ("P2", .int(Int64(f.byPriority[.p2] ?? 0))),
                    ]))
            ),
            ("by_rule", .raw(JSONText.object(rules))),
            ("mtta_s", optional(f.mtta)), ("mttr_s", optional(f.mttr)),
            ("mtta_service_s", optional(f.mttaService)), ("mttr_service_s", optional(f.mttrService)),
            ("acknowledged", .int(Int64(f.acknowledged))), ("resolved", .int(Int64(f.resolved))),
            ("grouped", .int(Int64(f.grouped))), ("quiet_blips", .int(Int64(f.quietBlips))),
            ("carried_over", .int(Int64(f.carriedOver))),
            ("open_at_end", .int(Int64(f.openAtEnd))),
        ])
    }

    static func sla(_ s: SLAFigures) -> String {
        var pairs: [(String, JSONText.Value)] = SLAClock.allCases.map { clock in
            let c = s.counts[clock] ?? SLACount()
            return (
                clock.rawValue,
                .raw(
                    JSONText.object([
                        ("met", .int(Int64(c.met))), ("breached", .int(Int64(c.breached))),
                        ("compliance", ratio(c.compliance)),
                        ("pending", .int(Int64(c.pending))),
                        ("near_misses", .int(Int64(s.nearMisses.filter { $0.clock == clock }.count))),
                    ]))
            )
        }
        pairs.append(
            (
                "breached_incidents",
                .raw(
                    JSONText.array(
                        SLAClock.allCases.flatMap { s.breached[$0] ?? [] }
                            .map { JSONText.quote(Incident.label($0.id)) }))
            ))
        return JSONText.object(pairs)
    }

    static func daily(_ r: InspectionReport) -> String {
        let values = { (list: [Double?]) in JSONText.array(list.map { $0.map { String($0) } ?? "null" }) }
        return JSONText.object([
            ("days", .raw(JSONText.array(r.days.dates.map(JSONText.quote)))),
            ("fleet", .raw(values(r.fleet.dailyAvailability))),
            ("sites", .raw(JSONText.object(r.sites.map { ($0.id, .raw(values($0.total.dailyAvailability))) }))),
            (
                "incidents",
                .raw(
                    JSONText.object([
                        ("P1", .raw(JSONText.array(r.incidents.dailyP1.map(String.init)))),
                        ("P2", .raw(JSONText.array(r.incidents.dailyP2.map(String.init)))),
                    ]))
            ),
        ])
    }

    /// An array with one element per line (indented), `[]` when empty.
    static func lines(_ items: [String]) -> String {
        items.isEmpty ? "[]" : "[\n  " + items.joined(separator: ",\n  ") + "\n]"
    }
}
