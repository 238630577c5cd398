import FleetCore

/// The status page (`GET /`, SPEC §16): one self-contained HTML document, no script and no
/// external resource, that refreshes itself. Health of the monitoring at the top, then the open
/// problems with their clocks, the last day's counts, and every site's devices as tiles.
public struct StatusPage {
    let snapshot: StatusPageSnapshot
    let text: PageText
    let time: PageTime
    /// Open incidents by device, for the tiles' details (children included).
    let problemsByDevice: [String: [Incident]]

    /// Problem rows shown at most; the rest are counted.
    static let maxProblems = 100

    public init(_ snapshot: StatusPageSnapshot) {
        self.snapshot = snapshot
        text = PageText.forLanguage(snapshot.language)
        time = PageTime(format: snapshot.time, units: text.units, now: snapshot.now)
        var byDevice: [String: [Incident]] = [:]
        for problem in snapshot.problems {
            for incident in [problem.row.incident] + problem.row.children {
                if let device = incident.device { byDevice[device, default: []].append(incident) }
            }
        }
        problemsByDevice = byDevice
    }

    public func html() -> String {
        var out = ""
        out.reserveCapacity(64 * 1024 + snapshot.sites.reduce(0) { $0 + $1.devices.count } * 400)
        out += "<!DOCTYPE html>\n<html lang=\"\(text.htmlLanguage)\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta http-equiv=\"refresh\" content=\"\(snapshot.refreshSeconds)\">\n"
        let focusName = snapshot.focus.map { id in snapshot.sites.first { $0.id == id }?.name ?? id }
        out += "<title>\(HTML.text(focusName.map { "\($0) · \(text.title)" } ?? text.title))</title>\n"
        out += "<style>\n\(Self.style)</style>\n</head>\n<body>\n"
        header(into: &out)
        out += "<main>\n"
        problems(into: &out)
        sites(into: &out)
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    private func header(into out: inout String) {
        let health = snapshot.health
        out += "<header class=\"top\">\n<h1>\(HTML.text(text.title))"
        if let focus = snapshot.focus {
            let name = snapshot.sites.first { $0.id == focus }?.name ?? focus
            out += " · \(HTML.text(name)) <a class=\"back\" href=\"/\">\(HTML.text(text.backToAll))</a>"
        }
        out += "</h1>\n"
        var problems: [String] = []
        if !health.brokerConnected { problems.append(text.brokerDisconnected) }
        if health.brokerDownTooLong { problems.append(text.brokerDownTooLong) }
        if health.databaseFailing { problems.append(text.databaseFailing) }
        let since = text.monitoringRunningSince(time.full(health.startedAt))
        if problems.isEmpty {
            out += "<p class=\"health ok\"><span class=\"mark\">✓</span> \(HTML.text(text.monitoringHealthy)) · "
            out += "\(HTML.text(text.brokerConnected)) · \(HTML.text(since))</p>\n"
        } else {
            out += "<p class=\"health bad\"><span class=\"mark\">✗</span> "
            out += problems.map(HTML.text).joined(separator: " · ") + " · \(HTML.text(since))</p>\n"
        }
        summary(into: &out)
        out += "<p class=\"updated\">\(HTML.text(text.updated(time.full(snapshot.now), snapshot.refreshSeconds)))</p>\n"
        out += "</header>\n"
    }

    /// Devices per state and open problems per priority, as coloured counts.
    private func summary(into out: inout String) {
        var byState: [DeviceState: Int] = [:]
        var total = 0
        for site in snapshot.sites {
            for device in site.devices { byState[device.state, default: 0] += 1 }
            total += site.devices.count
        }
        out += "<ul class=\"summary\">\n<li class=\"total\">\(HTML.text(text.devicesTotal(total)))</li>\n"
        for state in Self.stateOrder where (byState[state] ?? 0) > 0 {
            out +=
                "<li class=\"chip st-\(state.rawValue)\"><b>\(byState[state] ?? 0)</b> \(HTML.text(text.state(state)))</li>\n"
        }
        var open: [Priority: Int] = [:]
        for problem in snapshot.problems { open[problem.row.incident.priority, default: 0] += 1 }
        for priority in Priority.allCases {
            let n = open[priority] ?? 0
            out += "<li class=\"chip pri \(priority.rawValue.lowercased())\(n == 0 ? " none" : "")\"><b>\(n)</b> "
            out += "\(HTML.text(text.openOfPriority(priority.rawValue)))</li>\n"
        }
        out += "</ul>\n"
    }

    /// Worst first in the summary and the legend.
    static let stateOrder: [DeviceState] = [.offline, .degraded, .unknown, .sleeping, .maintenance, .online]
}
