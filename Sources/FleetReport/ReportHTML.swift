import FleetCore

/// `--format html`: one self-contained file (inline CSS and SVG, no script, nothing fetched) that
/// prints on A4 with each of the contract's four sections on a new page.
public enum ReportHTML {
    public static func render(_ report: InspectionReport) -> String {
        let t = ReportTables(report)
        let charts = ReportCharts(report: report, p: t.p)
        let w = t.w
        let titleText = "\(w.title) · \(t.p.periodTitle(report.input.period))"
        var out = """
            <!DOCTYPE html>
            <html lang="\(report.input.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(titleText))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>

            """
        out += cover(report, t)
        out += section("status", w.sectionStatus, statusSection(report, t, charts))
        out += section("faults", w.sectionFaults, faultsSection(report, t, charts))
        out += section("risks", w.sectionRisks, report.risks.isEmpty ? "<p>\(esc(w.noRisks))</p>\n" : table(t.risks))
        out += section("recommendations", w.sectionRecommendations, recommendations(report, t))
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func cover(_ r: InspectionReport, _ t: ReportTables) -> String {
        let w = t.w
        let p = t.p
        let respond = r.sla.counts[.respond] ?? SLACount()
        let onsite = r.sla.counts[.onsite] ?? SLACount()
        var facts: [(String, String)] = [
            (w.period, "\(p.time(r.input.period.from)) – \(p.time(r.input.period.to))"),
            (w.scope, t.scopeText),
            (w.serviceTime, p.calendar(r.input.sla) + (p.zh ? "，共 " : ", ") + p.hours(r.serviceSeconds)),
            (w.timezone, r.input.sla.timezone), (w.generated, p.time(r.input.generatedAt)),
        ]
        if let from = r.dataFrom, from > r.input.period.from { facts.append((w.dataFrom, p.time(from))) }
        let kpis: [(String, String, String, String)] = [
            (
                w.availability, p.percent(r.fleet.availability), "\(w.downtime) \(p.hours(r.fleet.downtime))",
                grade(r.fleet.availability, good: 0.995, fair: 0.98)
            ),
            (
                w.problems, String(r.incidents.total),
                "P1 \(r.incidents.byPriority[.p1] ?? 0) · P2 \(r.incidents.byPriority[.p2] ?? 0)", ""
            ),
            (
                w.respondCompliance, p.percent(respond.compliance, digits: 1),
                "\(respond.met)/\(respond.met + respond.breached)",
                grade(respond.compliance, good: 1, fair: 0.95)
            ),
            (
                w.onsiteCompliance, p.percent(onsite.compliance, digits: 1),
                "\(onsite.met)/\(onsite.met + onsite.breached)",
                grade(onsite.compliance, good: 1, fair: 0.95)
            ),
            (w.mtta, p.duration(r.incidents.mtta), "\(w.inServiceTime) \(p.duration(r.incidents.mttaService))", ""),
            (w.mttr, p.duration(r.incidents.mttr), "\(w.inServiceTime) \(p.duration(r.incidents.mttrService))", ""),
        ]
        var out =
            "<header class=\"cover\">\n<div class=\"brand\">Fleetwatch · "
            + esc(p.zh ? "智慧图书馆设备运维" : "smart-library device maintenance") + "</div>\n"
        out +=
            "<h1>\(esc(w.title))</h1>\n<p class=\"period\">\(esc(p.periodTitle(r.input.period))) · \(esc(t.scopeText))</p>\n"
        out += "<dl class=\"facts\">" + facts.map { "<dt>\(esc($0.0))</dt><dd>\(esc($0.1))</dd>" }.joined() + "</dl>\n"
        out +=
            "<div class=\"kpis\">\n"
            + kpis.map { k in
                "<div class=\"kpi \(k.3)\"><div class=\"label\">\(esc(k.0))</div><div class=\"value\">\(esc(k.1))</div>"
                    + "<div class=\"sub\">\(esc(k.2))</div></div>"
            }.joined(separator: "\n") + "\n</div>\n"
        out += "<p class=\"lead\">\(esc(t.summary))</p>\n"
        if let note = t.dataNote { out += "<p class=\"note\">\(esc(note))</p>\n" }
        out += "</header>\n"
        return out
    }

    static func statusSection(_ r: InspectionReport, _ t: ReportTables, _ charts: ReportCharts) -> String {
        let w = t.w
        var out = r.fleet.devices == 0 ? "<p class=\"empty\">\(esc(w.emptyPeriod))</p>\n" : ""
        out += "<h3>\(esc(w.bySite))</h3>\n" + table(t.sites, totalRow: true)
        out += figure(w.dailyAvailability, charts.dailyAvailability())
        out += "<h3>\(esc(w.byKind))</h3>\n" + table(t.kinds)
        out += figure(w.downtimeHeatmap, charts.downtimeHeatmap())
        out += "<h3>\(esc(w.topDowntime))</h3>\n" + table(t.topDowntime)
        if !r.input.maintenance.isEmpty { out += "<h3>\(esc(w.maintenanceWindows))</h3>\n" + table(t.maintenance) }
        return out
    }

    static func faultsSection(_ r: InspectionReport, _ t: ReportTables, _ charts: ReportCharts) -> String {
        let w = t.w
        var out = "<p>\(esc(t.faultsText))</p>\n"
        out += figure(w.incidentsPerDay, charts.incidentsPerDay())
        out += "<div class=\"two\"><div>\(table(t.byPriority))</div><div>\(table(t.byRule))</div></div>\n"
        out += figure(w.slaCompliance, charts.slaCompliance()) + table(t.sla)
        out += "<h3>\(esc(w.topIncidents))</h3>\n" + table(t.topIncidents)
        out += "<h3>\(esc(w.handling))</h3>\n" + table(t.handling, className: "handling")
        return out
    }

    static func recommendations(_ r: InspectionReport, _ t: ReportTables) -> String {
        var out = "<ol class=\"recommendations\">\n"
        for c in r.recommendations {
            out +=
                "<li>\(esc(c.text))<span class=\"evidence\">\(esc(t.w.evidence)): \(esc(t.evidence(c.evidence)))</span></li>\n"
        }
        out += "</ol>\n<footer>\n<strong>\(esc(t.w.appendix))</strong>\n<ul>\n"
        out += t.w.definitions.map { "<li>\(esc($0))</li>" }.joined(separator: "\n")
        out += "\n</ul>\n<p>Fleetwatch · \(esc(t.p.time(r.input.generatedAt)))</p>\n</footer>\n"
        return out
    }

    // MARK: parts

    static func section(_ id: String, _ title: String, _ body: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(esc(title))</h2>\n\(body)</section>\n"
    }

    static func figure(_ caption: String, _ svg: String) -> String {
        "<figure>\n<figcaption>\(esc(caption))</figcaption>\n\(svg)\n</figure>\n"
    }

    static func table(_ t: ReportTable, totalRow: Bool = false, className: String? = nil) -> String {
        guard !t.rows.isEmpty else { return "<p class=\"note\">—</p>\n" }
        var out = "<table" + (className.map { " class=\"\($0)\"" } ?? "") + ">\n"
        if let widths = t.widths {
            out += "<colgroup>" + widths.map { "<col style=\"width: \($0)%\">" }.joined() + "</colgroup>\n"
        }
        out += "<thead><tr>"
        out += t.columns.map { "<th\($0.style == .number ? " class=\"num\"" : "")>\(esc($0.title))</th>" }.joined()
        out += "</tr></thead>\n<tbody>\n"
        for (index, row) in t.rows.enumerated() {
            let total = totalRow && index == t.rows.count - 1
            out += total ? "<tr class=\"total\">" : "<tr>"
            for (cell, column) in zip(row, t.columns) {
                switch column.style {
                case .number: out += "<td class=\"num\">\(esc(cell))</td>"
                case .code: out += "<td class=\"id\">\(esc(cell))</td>"
                case .priority: out += "<td><span class=\"pri \(esc(cell))\">\(esc(cell))</span></td>"
                case .text: out += "<td>\(esc(cell))</td>"
                }
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if let note = t.note { out += "<p class=\"note\">\(esc(note))</p>\n" }
        return out
    }

    /// The colour of a headline figure: green at or above `good`, amber down to `fair`, red below.
    static func grade(_ value: Double?, good: Double, fair: Double) -> String {
        guard let value else { return "" }
        return value >= good ? "good" : value >= fair ? "fair" : "bad"
    }

    static func esc(_ text: String) -> String { SVG.escape(text) }
}
