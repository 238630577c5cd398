import FleetCore
import Foundation

/// The report's four charts as inline SVG: daily availability per site, faults per day by
/// priority, a device × day downtime heatmap, and SLA compliance. Each is drawn for the
/// 180 mm text width of an A4 page; no script, no fonts or images from elsewhere.
struct ReportCharts {
    let report: InspectionReport
    let p: ReportPhrases

    static let width = 680.0
    static let palette = ["#0b6e99", "#d9480f", "#2f9e44", "#7048e8", "#c2255c", "#e67700", "#1098ad", "#495057"]
    static let p1Color = "#c92a2a", p2Color = "#f08c00", metColor = "#2f9e44", breachColor = "#c92a2a"

    /// Lines for up to eight sites; more sites are shown as a site × day grid.
    func dailyAvailability() -> String {
        let sites = report.sites.filter { $0.total.devices > 0 }
        if sites.count > Self.palette.count {
            return grid(
                rows: sites.map { (p.site($0.id), $0.total.dailyAvailability) }, label: p.words.dailyAvailability,
                color: availabilityColor, legend: availabilityLegend, show: { p.percent($0) })
        }
        let days = report.days.count
        let values = sites.flatMap { $0.total.dailyAvailability.compactMap { $0 } }
        let lowest = values.min() ?? 1
        // The y axis starts at a round floor under the worst day, with ticks at round steps.
        let scales: [(floor: Double, step: Double, digits: Int)] = [
            (0.99, 0.0025, 2), (0.98, 0.005, 1), (0.95, 0.01, 0), (0.9, 0.02, 0), (0.8, 0.05, 0), (0.5, 0.1, 0),
            (0, 0.25, 0),
        ]
        let scale = scales.first { $0.floor <= lowest - 0.001 } ?? (0, 0.25, 0)
        let floor = scale.floor
        let left = 46.0
        let right = 150.0
        let top = 12.0
        let height = 210.0
        let bottom = 28.0
        let plotW = Self.width - left - right
        let plotH = height - top - bottom
        let x = { (i: Int) in left + (Double(i) + 0.5) * plotW / Double(max(days, 1)) }
        let y = { (v: Double) in top + (1 - (v - floor) / (1 - floor)) * plotH }
        var body: [String] = []
        for k in 0...Int(((1 - floor) / scale.step).rounded()) {
            let v = floor + Double(k) * scale.step
            body.append(SVG.line(left, y(v), left + plotW, y(v)))
            body.append(SVG.text(left - 6, y(v) + 3.5, p.percent(v, digits: scale.digits), anchor: "end", size: 9))
        }
        body += dayLabels(x: x, y: top + plotH + 16)
        if sites.isEmpty {
            body.append(SVG.text(left + plotW / 2, top + plotH / 2, p.words.noData, anchor: "middle", size: 12))
        }
        for (index, site) in sites.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            var run: [String] = []
            func flush() {
                if run.count > 1 {
                    body.append(
                        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>"
                    )
                }
                run = []
            }
            for (i, v) in site.total.dailyAvailability.enumerated() {
                guard let v else {
                    flush()
                    continue
                }
                run.append("\(SVG.n(x(i))),\(SVG.n(y(max(v, floor))))")
                if days <= 62 {
                    body.append(
                        "<circle cx=\"\(SVG.n(x(i)))\" cy=\"\(SVG.n(y(max(v, floor))))\" r=\"2.2\" fill=\"\(color)\">"
                            + "<title>\(SVG.escape("\(p.site(site.id)) \(report.days.dates[i]) \(p.percent(v))"))</title></circle>"
                    )
                }
            }
            flush()
            let ly = top + 8 + Double(index) * 17
            body.append(SVG.rect(left + plotW + 14, ly - 7, 12, 4, fill: color))
            body.append(SVG.text(left + plotW + 31, ly - 1.5, clip(p.site(site.id), 11), size: 10, fill: "#1f2933"))
        }
        return SVG.frame(width: Self.width, height: height, label: p.words.dailyAvailability, body)
    }

    /// Stacked bars: P2 below, P1 above.
    func incidentsPerDay() -> String {
        let f = report.incidents
        let days = report.days.count
        let peak = zip(f.dailyP1, f.dailyP2).map { $0 + $1 }.max() ?? 0
        // Whole-number ticks: a round step for about four of them, the top a multiple of it.
        let step = max(1, SVG.niceCeiling(Double(peak) / 4))
        let top = max(step, (Double(peak) / step).rounded(.up) * step)
        let left = 46.0
        let right = 70.0
        let topMargin = 12.0
        let height = 190.0
        let bottom = 28.0
        let plotW = Self.width - left - right
        let plotH = height - topMargin - bottom
        let slot = plotW / Double(max(days, 1))
        let x = { (i: Int) in left + (Double(i) + 0.5) * slot }
        let y = { (v: Double) in topMargin + (1 - v / top) * plotH }
        var body: [String] = []
        for k in 0...Int((top / step).rounded()) {
            let v = Double(k) * step
            body.append(SVG.line(left, y(v), left + plotW, y(v)))
            body.append(SVG.text(left - 6, y(v) + 3.5, String(Int(v)), anchor: "end", size: 9))
        }
        body += dayLabels(x: x, y: topMargin + plotH + 16)
        let barW = min(28, max(1, slot * 0.7))
        for i in 0..<days {
            let p2 = Double(f.dailyP2[i])
            let p1 = Double(f.dailyP1[i])
            let tip = "\(report.days.dates[i]): P1 \(Int(p1)), P2 \(Int(p2))"
            if p2 > 0 {
                body.append(
                    SVG.rect(x(i) - barW / 2, y(p2), barW, plotH - (y(p2) - topMargin), fill: Self.p2Color, title: tip))
            }
            if p1 > 0 {
                body.append(
                    SVG.rect(x(i) - barW / 2, y(p1 + p2), barW, y(p2) - y(p1 + p2), fill: Self.p1Color, title: tip))
            }
        }
        for (k, (name, color)) in [("P1", Self.p1Color), ("P2", Self.p2Color)].enumerated() {
            let ly = topMargin + 8 + Double(k) * 17
            body.append(SVG.rect(left + plotW + 14, ly - 8, 10, 10, fill: color))
            body.append(SVG.text(left + plotW + 29, ly, name, size: 10, fill: "#1f2933"))
        }
        return SVG.frame(width: Self.width, height: height, label: p.words.incidentsPerDay, body)
    }

    /// The devices with the most downtime, one row each, a cell per day.
    func downtimeHeatmap(rows limit: Int = 15) -> String {
        let devices = report.topByDowntime(limit)
        let rows = devices.map { d in
            (
                "\(d.id) · \(p.site(d.site))",
                zip(d.dailyDowntime, d.dailyEligible).map { down, eligible -> Double? in
                    eligible > 0 ? down / 60 : nil
                }
            )
        }
        return grid(
            rows: rows, label: p.words.downtimeHeatmap, color: downtimeColor, legend: downtimeLegend,
            show: { String(format: p.zh ? "%.0f分" : "%.0f min", $0) })
    }

    /// One bar per clock: met in green, breached in red, with the compliance on the right.
    func slaCompliance() -> String {
        let clocks = SLAClock.allCases
        let left = 70.0
        let right = 150.0
        let rowH = 34.0
        let top = 8.0
        let height = top + Double(clocks.count) * rowH + 22
        let plotW = Self.width - left - right
        var body: [String] = []
        for (k, clock) in clocks.enumerated() {
            let c = report.sla.counts[clock] ?? SLACount()
            let y = top + Double(k) * rowH
            body.append(SVG.text(left - 8, y + 16, p.clockName(clock), anchor: "end", size: 11, fill: "#1f2933"))
            let total = c.met + c.breached
            if total == 0 {
                body.append(SVG.rect(left, y + 4, plotW, 18, fill: "#f1f3f5"))
                body.append(
                    SVG.text(
                        left + plotW / 2, y + 17, p.zh ? "本期无到期时限" : "no deadline in the period",
                        anchor: "middle", size: 10))
            } else {
                let metW = plotW * Double(c.met) / Double(total)
                body.append(SVG.rect(left, y + 4, metW, 18, fill: Self.metColor, title: "\(p.words.met) \(c.met)"))
                body.append(
                    SVG.rect(
                        left + metW, y + 4, plotW - metW, 18, fill: Self.breachColor,
                        title: "\(p.words.breached) \(c.breached)"))
            }
            let figure = "\(p.percent(c.compliance, digits: 1))  (\(c.met)/\(total))"
            body.append(
                SVG.text(
                    left + plotW + 10, y + 17, total == 0 ? "—" : figure, size: 11, fill: "#1f2933",
                    weight: "600"))
        }
        let ly = height - 8
        body.append(SVG.rect(left, ly - 9, 10, 10, fill: Self.metColor))
        body.append(SVG.text(left + 14, ly, p.words.met, size: 10))
        body.append(SVG.rect(left + 70, ly - 9, 10, 10, fill: Self.breachColor))
        body.append(SVG.text(left + 84, ly, p.words.breached, size: 10))
        return SVG.frame(width: Self.width, height: height, label: p.words.slaCompliance, body)
    }

    // MARK: parts

    private func dayLabels(x: (Int) -> Double, y: Double) -> [String] {
        let days = report.days.count
        let every = max(1, Int((Double(days) / 16).rounded(.up)))
        return stride(from: 0, to: days, by: every).map {
            SVG.text(x($0), y, report.days.labels[$0], anchor: "middle", size: 9)
        }
    }

    /// Rows of cells, one per day; `nil` is a day without eligible time.
    private func grid(
        rows: [(String, [Double?])], label: String, color: (Double) -> String,
        legend: [(String, String)], show: (Double) -> String
    ) -> String {
        let days = report.days.count
        let left = 150.0
        let top = 4.0
        let rowH = 15.0
        let cellW = (Self.width - left - 6) / Double(max(days, 1))
        let height = top + Double(max(rows.count, 1)) * rowH + 44
        var body: [String] = []
        if rows.isEmpty {
            body.append(
                SVG.text(
                    Self.width / 2, top + 14, p.zh ? "本期无停机" : "no downtime in the period", anchor: "middle",
                    size: 11))
        }
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * rowH
            body.append(SVG.text(left - 6, y + 11, clip(row.0, 24), anchor: "end", size: 9, fill: "#1f2933"))
            for (i, value) in row.1.enumerated() {
                let tip = "\(row.0) \(report.days.dates[i]): " + (value.map(show) ?? "—")
                body.append(
                    SVG.rect(
                        left + Double(i) * cellW + 0.5, y + 1, cellW - 1, rowH - 2,
                        fill: value.map(color) ?? "#f8f9fa", title: tip))
            }
        }
        let labelsY = top + Double(max(rows.count, 1)) * rowH + 12
        let every = max(1, Int((Double(days) / 16).rounded(.up)))
        for i in stride(from: 0, to: days, by: every) {
            body.append(
                SVG.text(left + (Double(i) + 0.5) * cellW, labelsY, report.days.labels[i], anchor: "middle", size: 8))
        }
        var lx = left
        for (name, fill) in legend {
            body.append(
                SVG.rect(lx, labelsY + 12, 12, 10, fill: fill, extra: " stroke=\"#ced4da\" stroke-width=\"0.5\""))
            body.append(SVG.text(lx + 16, labelsY + 21, name, size: 9))
            lx += 24 + Double(name.count) * 6.5
        }
        return SVG.frame(width: Self.width, height: height, label: label, body)
    }

    /// Minutes of downtime in a day → colour: none, under 5, 30, 120, 360, more.
    private func downtimeColor(_ minutes: Double) -> String {
        switch minutes {
        case ..<0.5: "#e6f4ea"
        case ..<5: "#fff3bf"
        case ..<30: "#ffd43b"
        case ..<120: "#fd7e14"
        case ..<360: "#e03131"
        default: "#862e2e"
        }
    }

    private var downtimeLegend: [(String, String)] {
        let minutes = p.zh ? "分" : " min"
        return [
            ("0", "#e6f4ea"), ("<5\(minutes)", "#fff3bf"), ("<30\(minutes)", "#ffd43b"), ("<2h", "#fd7e14"),
            ("<6h", "#e03131"), ("≥6h", "#862e2e"), (p.words.noData, "#f8f9fa"),
        ]
    }

    private func availabilityColor(_ v: Double) -> String {
        switch v {
        case 0.999...: "#e6f4ea"
        case 0.99...: "#fff3bf"
        case 0.95...: "#fd7e14"
        default: "#e03131"
        }
    }

    private var availabilityLegend: [(String, String)] {
        [
            ("≥99.9%", "#e6f4ea"), ("≥99%", "#fff3bf"), ("≥95%", "#fd7e14"), ("<95%", "#e03131"),
            (p.words.noData, "#f8f9fa"),
        ]
    }

    private func clip(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}
