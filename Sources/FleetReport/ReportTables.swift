import FleetCore
import Foundation

/// A table of the report, as both the HTML and the Markdown documents show it.
struct ReportTable {
    /// `code`: an id, never broken across lines.
    enum Style { case text, code, number, priority }
    let columns: [(title: String, style: Style)]
    var rows: [[String]]
    /// Said under the table (rows left out, …).
    var note: String?
    /// Column widths in percent for the printed page, when the browser's own would be poor.
    var widths: [Int]?

    init(columns: [(title: String, style: Style)], rows: [[String]], note: String? = nil, widths: [Int]? = nil) {
        self.columns = columns
        self.rows = rows
        self.note = note
        self.widths = widths
    }
}

/// The report's tables and sentences, shared by the HTML and Markdown documents so both show
/// the same sections with the same figures.
struct ReportTables {
    let r: InspectionReport
    let p: ReportPhrases

    /// The handling table lists at most this many problems (every P1 first); JSON lists all.
    static let handlingLimit = 100
    static let maintenanceLimit = 30

    init(_ report: InspectionReport) {
        r = report
        p = ReportPhrases(report.input.language, localTime: report.localTime, siteNames: report.input.siteNames)
    }

    var w: ReportWords { p.words }

    // MARK: sentences

    var scopeText: String { r.input.site.map { p.site($0) } ?? w.scopeAll }

    var summary: String {
        guard !r.isEmpty else { return w.emptyPeriod }
        let f = r.incidents
        let respond = r.sla.counts[.respond] ?? SLACount()
        let onsite = r.sla.counts[.onsite] ?? SLACount()
        if p.zh {
            return "本期 \(r.fleet.devices) 台设备在服务时间内的可用率为 \(p.percent(r.fleet.availability))，停机合计 "
                + "\(p.hours(r.fleet.downtime))。共发生故障 \(f.total) 起（P1 \(f.byPriority[.p1] ?? 0) 起，P2 "
                + "\(f.byPriority[.p2] ?? 0) 起），平均响应 \(p.duration(f.mtta))，平均修复 \(p.duration(f.mttr))；"
                + "响应时限达标率 \(p.percent(respond.compliance, digits: 1))，到场时限达标率 "
                + "\(p.percent(onsite.compliance, digits: 1))。发现潜在风险 \(r.risks.count) 项，提出建议 "
                + "\(r.recommendations.count) 条。"
        }
        return "In this period the \(r.fleet.devices) devices were available \(p.percent(r.fleet.availability)) of "
            + "their service time, with \(p.hours(r.fleet.downtime)) of downtime in all. \(f.total) faults occurred "
            + "(P1 \(f.byPriority[.p1] ?? 0), P2 \(f.byPriority[.p2] ?? 0)); they were acknowledged in "
            + "\(p.duration(f.mtta)) and resolved in \(p.duration(f.mttr)) on average. Response deadlines were met "
            + "\(p.percent(respond.compliance, digits: 1)) of the time, on-site deadlines "
            + "\(p.percent(onsite.compliance, digits: 1)). \(r.risks.count) potential risks and "
            + "\(r.recommendations.count) recommendations follow."
    }

    /// Where the state data starts, when that is not the period's start.
    var dataNote: String? {
        guard let since = r.input.historySince else {
            return p.zh
                ? "数据库中尚无设备状态记录（守护进程升级后开始记录），可用率无法计算。"
                : "The database holds no device state history yet (recording starts once the daemon is upgraded); "
                    + "availability cannot be computed."
        }
        guard since > r.input.period.from else { return nil }
        return p.zh
            ? "设备状态自 \(p.time(since)) 起开始记录，此前的时间不计入可用率。"
            : "Device states are recorded from \(p.time(since)); earlier time is not counted in availability."
    }

    var faultsText: String {
        let f = r.incidents
        var parts: [String]
        if p.zh {
            parts = [
                "本期发生故障 \(f.total) 起，已确认 \(f.acknowledged) 起，已解决 \(f.resolved) 起。"
                    + "\(w.mtta) \(p.duration(f.mtta))（\(w.inServiceTime) \(p.duration(f.mttaService))），"
                    + "\(w.mttr) \(p.duration(f.mttr))（\(w.inServiceTime) \(p.duration(f.mttrService))）。"
            ]
            if f.carriedOver > 0 { parts.append("\(w.carriedOver) \(f.carriedOver) 起。") }
            if f.openAtEnd > 0 { parts.append("\(w.openAtEnd) \(f.openAtEnd) 起。") }
        } else {
            parts = [
                "\(f.total) faults opened in the period; \(f.acknowledged) were acknowledged and \(f.resolved) "
                    + "resolved. \(w.mtta): \(p.duration(f.mtta)) (\(w.inServiceTime): \(p.duration(f.mttaService))); "
                    + "\(w.mttr): \(p.duration(f.mttr)) (\(w.inServiceTime): \(p.duration(f.mttrService)))."
            ]
            if f.carriedOver > 0 { parts.append("\(f.carriedOver) \(w.carriedOver) from before the period.") }
            if f.openAtEnd > 0 { parts.append("\(f.openAtEnd) \(w.openAtEnd).") }
        }
        if f.grouped > 0 { parts.append(String(format: w.groupedNote, f.grouped)) }
        if f.quietBlips > 0 { parts.append(String(format: w.quietBlipsNote, f.quietBlips)) }
        return parts.joined(separator: p.zh ? "" : " ")
    }

    // MARK: tables

    private func availabilityRow(_ t: AvailabilityTotal) -> [String] {
        [String(t.devices), p.percent(t.availability), p.hours(t.downtime), p.hours(t.eligible)]
    }

    var sites: ReportTable {
        ReportTable(
            columns: [
                (w.site, .text), (w.devices, .number), (w.availability, .number), (w.downtime, .number),
                (w.eligible, .number), ("P1", .number), ("P2", .number),
            ],
            rows: r.sites.map { [p.site($0.id)] + availabilityRow($0.total) + [String($0.p1), String($0.p2)] }
                + [
                    [p.zh ? "合计" : "All"] + availabilityRow(r.fleet)
                        + [String(r.incidents.byPriority[.p1] ?? 0), String(r.incidents.byPriority[.p2] ?? 0)]
                ])
    }

    var kinds: ReportTable {
        ReportTable(
            columns: [
                (w.kind, .text), (w.devices, .number), (w.availability, .number), (w.downtime, .number),
                (w.eligible, .number), (w.maintenanceTime, .number),
            ],
            rows: r.kinds.map { [p.kind($0.id)] + availabilityRow($0.total) + [p.hours($0.total.maintenance)] })
    }

    var topDowntime: ReportTable {
        ReportTable(
            columns: [
                (w.device, .text), (w.site, .text), (w.kind, .text), (w.availability, .number),
                (w.downtime, .number), (w.incidents, .number), (w.worstDay, .text),
            ],
            rows: r.topByDowntime(10).map { d in
                let worst = d.dailyDowntime.indices.max { d.dailyDowntime[$0] < d.dailyDowntime[$1] }
                let day = worst.map { "\(r.days.labels[$0]) (\(p.duration(d.dailyDowntime[$0])))" } ?? "—"
                return [
                    d.id, p.site(d.site), p.kind(d.kind), p.percent(d.availability), p.duration(d.downtime),
                    String(d.incidents), day,
                ]
            })
    }

    var topIncidents: ReportTable {
        ReportTable(
            columns: [
                (w.device, .text), (w.site, .text), (w.kind, .text), (w.incidents, .number),
                (w.downtime, .number),
            ],
            rows: r.topByIncidents(10).map {
                [$0.id, p.site($0.site), p.kind($0.kind), String($0.incidents), p.duration($0.downtime)]
            })
    }

    /// The period's windows, the first `maintenanceLimit` of them (the JSON has all).
    var maintenance: ReportTable {
        let all = r.input.maintenance
        return ReportTable(
            columns: [
                ("", .code), (w.site + " / " + w.device, .text), (w.from, .text), (w.until, .text),
                (w.windowReason, .text),
            ],
            rows: all.prefix(Self.maintenanceLimit).map { m in
                // A recurring window (opening hours, SPEC §10) says when it recurs, from when.
                let end = m.removedAt.map { min($0, m.until) } ?? m.until
                return [
                    MaintenanceWindow.label(m.id), m.device ?? p.site(m.site),
                    m.every.map { "\($0.text) (\(p.date(m.from)))" } ?? p.time(m.from),
                    end < MaintenanceWindow.noEnd ? p.time(end) : "—",
                    [m.reason, m.createdBy.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "),
                ]
            },
            note: all.count > Self.maintenanceLimit
                ? String(format: w.moreInJSON, all.count - Self.maintenanceLimit) : nil)
    }

    var byPriority: ReportTable {
        ReportTable(
            columns: [(w.byPriority, .priority), (w.count, .number)],
            rows: [Priority.p1, .p2].map { [$0.rawValue, String(r.incidents.byPriority[$0] ?? 0)] })
    }

    var byRule: ReportTable {
        ReportTable(
            columns: [(w.rule, .text), (w.count, .number)],
            rows: r.incidents.byRule.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { [p.zh ? "\(p.rule($0.key)) (\($0.key))" : $0.key, String($0.value)] })
    }

    var sla: ReportTable {
        ReportTable(
            columns: [
                (w.clock, .text), (w.met, .number), (w.breached, .number), (w.pending, .number),
                (w.compliance, .number),
            ],
            rows: SLAClock.allCases.map { clock in
                let c = r.sla.counts[clock] ?? SLACount()
                return [
                    p.clockName(clock), String(c.met), String(c.breached), String(c.pending),
                    p.percent(c.compliance, digits: 1),
                ]
            })
    }

    /// Every P1, then P2s, in opening order, up to `handlingLimit` rows: one line each, the
    /// handling steps in the order they happened.
    var handling: ReportTable {
        let all = r.handling
        let shown = (all.filter { $0.incident.priority == .p1 } + all.filter { $0.incident.priority != .p1 })
            .prefix(Self.handlingLimit).sorted {
                ($0.incident.openedAt, $0.incident.id) < ($1.incident.openedAt, $1.incident.id)
            }
        let styles: [ReportTable.Style] = [.code, .priority, .text, .code, .text, .number, .text]
        return ReportTable(
            columns: Array(zip(w.handlingColumns, styles)).map { ($0.0, $0.1) },
            rows: shown.map(handlingRow),
            note: all.count > shown.count ? String(format: w.moreInJSON, all.count - shown.count) : nil,
            widths: [11, 6, 26, 10, 26, 7, 14])
    }

    private func handlingRow(_ h: HandlingRecord) -> [String] {
        let i = h.incident
        let openedDay = p.date(i.openedAt)
        /// `09:20 li.wei`, or `11-04 09:20 li.wei` on another day than the opening.
        func step(_ name: String, _ t: Double?, _ who: String?, late: Bool = false) -> String? {
            guard let t else { return nil }
            let when = p.date(t) == openedDay ? String(p.time(t).suffix(5)) : p.shortTime(t)
            let by = p.by(who)
            return "\(name) \(when)" + (by.isEmpty ? "" : " \(by)") + (late ? " ⚠" : "")
        }
        let steps = [
            step(w.stepNames[0], i.acknowledgedAt, h.acknowledgedBy, late: h.outcomes[.respond] == .breached),
            step(w.stepNames[1], i.dispatchedAt, h.dispatchedBy),
            step(w.stepNames[2], i.arrivedAt, h.arrivedBy, late: h.outcomes[.onsite] == .breached),
            step(w.stepNames[4], i.partsAt, h.partsBy),
            step(w.stepNames[5], i.plannedAt, h.plannedBy, late: h.outcomes[.plan] == .breached),
            step(w.stepNames[3], i.resolvedAt, h.resolvedBy, late: h.outcomes[.resolve] == .breached),
        ].compactMap { $0 }
        var notes = h.notes.map { "\($0.by): \($0.text)" }
        if !h.childDevices.isEmpty {
            notes.insert((p.zh ? "影响设备 " : "devices: ") + p.list(h.childDevices, limit: 3), at: 0)
        }
        if h.flapped { notes.append(p.zh ? "状态频繁变化" : "flapping") }
        return [
            Incident.label(i.id), i.priority.rawValue, "\(p.rule(i.rule.rawValue)) · \(p.place(i))",
            p.shortTime(i.openedAt), steps.isEmpty ? "—" : steps.joined(separator: p.zh ? "；" : "; "),
            i.resolvedAt.map { p.duration($0 - i.openedAt) } ?? "—", notes.joined(separator: "; "),
        ]
    }

    var risks: ReportTable {
        ReportTable(
            columns: [("#", .number), (w.risk, .text), (w.evidence, .text), (w.plan, .text)],
            rows: r.risks.enumerated().map {
                [
                    String($0.offset + 1), $0.element.text,
                    evidence($0.element.evidence), $0.element.plan,
                ]
            })
    }

    func evidence(_ items: [String]) -> String {
        let shown = items.prefix(8).joined(separator: ", ")
        return items.count > 8 ? shown + (p.zh ? " 等 \(items.count) 项" : " … (\(items.count))") : shown
    }

    /// Markdown's stand-in for the availability chart: a row per day, a column per site (at most eight).
    var dailyAvailability: ReportTable {
        let sites = Array(r.sites.filter { $0.total.devices > 0 }.prefix(8))
        return ReportTable(
            columns: [(p.zh ? "日期" : "Day", .text), (p.zh ? "全网" : "Fleet", .number)]
                + sites.map { (p.site($0.id), .number) },
            rows: r.days.dates.indices.map { i in
                [r.days.dates[i], p.percent(r.fleet.dailyAvailability[i])]
                    + sites.map { p.percent($0.total.dailyAvailability[i]) }
            })
    }

    /// Markdown's stand-in for the faults-per-day chart: days with faults.
    var incidentsPerDay: ReportTable {
        ReportTable(
            columns: [(p.zh ? "日期" : "Day", .text), ("P1", .number), ("P2", .number)],
            rows: r.days.dates.indices.filter { r.incidents.dailyP1[$0] + r.incidents.dailyP2[$0] > 0 }.map {
                [r.days.dates[$0], String(r.incidents.dailyP1[$0]), String(r.incidents.dailyP2[$0])]
            })
    }
}
