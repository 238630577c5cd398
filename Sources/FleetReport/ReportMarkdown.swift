import FleetCore
import Foundation

/// `--format markdown`: the same sections and tables as the HTML report; each chart becomes the
/// table of its figures.
public enum ReportMarkdown {
    public static func render(_ report: InspectionReport) -> String {
        let t = ReportTables(report)
        let w = t.w
        let p = t.p
        var out = "# \(w.title) · \(p.periodTitle(report.input.period))\n\n"
        out += "- \(w.period): \(p.time(report.input.period.from)) – \(p.time(report.input.period.to))\n"
        out += "- \(w.scope): \(t.scopeText)\n"
        out += "- \(w.serviceTime): \(p.calendar(report.input.sla)) (\(p.duration(report.serviceSeconds)))\n"
        out +=
            "- \(w.timezone): \(report.input.sla.timezone)\n- \(w.generated): \(p.time(report.input.generatedAt))\n\n"
        out += t.summary + "\n\n"
        if let note = t.dataNote { out += "> \(note)\n\n" }

        out += "## \(w.sectionStatus)\n\n"
        out += heading(w.bySite) + table(t.sites)
        out += heading(w.dailyAvailability) + table(t.dailyAvailability)
        out += heading(w.byKind) + table(t.kinds)
        out += heading(w.topDowntime) + table(t.topDowntime)
        if !report.input.maintenance.isEmpty { out += heading(w.maintenanceWindows) + table(t.maintenance) }

        out += "## \(w.sectionFaults)\n\n\(t.faultsText)\n\n"
        out += heading(w.incidentsPerDay) + table(t.incidentsPerDay)
        out += heading(w.byPriority) + table(t.byPriority)
        out += heading(w.byRule) + table(t.byRule)
        out += heading(w.slaCompliance) + table(t.sla)
        out += heading(w.topIncidents) + table(t.topIncidents)
        out += heading(w.handling) + table(t.handling)

        out += "## \(w.sectionRisks)\n\n"
        out += report.risks.isEmpty ? "\(w.noRisks)\n\n" : table(t.risks)

        out += "## \(w.sectionRecommendations)\n\n"
        for (i, c) in report.recommendations.enumerated() {
            out += "\(i + 1). \(c.text)  \n   *\(w.evidence): \(t.evidence(c.evidence))*\n"
        }
        out += "\n---\n\n**\(w.appendix)**\n\n" + w.definitions.map { "- \($0)" }.joined(separator: "\n") + "\n"
        return out
    }

    static func heading(_ text: String) -> String { "### \(text)\n\n" }

    static func table(_ t: ReportTable) -> String {
        guard !t.rows.isEmpty else { return "—\n\n" }
        var out = "| " + t.columns.map { cell($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + t.columns.map { $0.style == .number ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in t.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        if let note = t.note { out += "\n\(note)\n" }
        return out + "\n"
    }

    /// A cell on one line, with `|` escaped.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
