import FleetCore

/// The open problems (one row per problem: an outage's children are folded into it) with their
/// clocks, and the counts of the last 24 hours.
extension StatusPage {
    func problems(into out: inout String) {
        out += "<section id=\"problems\">\n<h2>\(HTML.text(text.openIncidents))</h2>\n"
        let sorted = snapshot.problems.sorted { IncidentClock.pageOrder($0.row.incident, $1.row.incident) }
        if sorted.isEmpty { out += "<p class=\"none\">\(HTML.text(text.noOpenIncidents))</p>\n" }
        for problem in sorted.prefix(Self.maxProblems) { card(problem, into: &out) }
        if sorted.count > Self.maxProblems {
            out += "<p class=\"more\">\(HTML.text(text.moreIncidents(sorted.count - Self.maxProblems)))</p>\n"
        }
        lastDay(into: &out)
        out += "</section>\n"
    }

    private func card(_ problem: StatusPageSnapshot.Problem, into out: inout String) {
        let i = problem.row.incident
        let clocks = IncidentClock.running(i)
        let overdue = clocks.contains { $0.due <= snapshot.now }
        out += "<article class=\"incident \(i.priority.rawValue.lowercased())\(overdue ? " overdue" : "")\">\n"
        out += "<h3><span class=\"pri\">\(i.priority.rawValue)</span> \(HTML.text(text.ruleName(i.rule)))"
        if i.flapping { out += " <span class=\"tag\">\(HTML.text(text.flapping))</span>" }
        out += " <span class=\"inc\">\(HTML.text(Incident.label(i.id)))</span></h3>\n"
        out += "<p class=\"where\">\(HTML.text(place(of: i)))</p>\n"
        out += "<p class=\"summary\">\(HTML.text(i.summary))</p>\n"
        if !clocks.isEmpty {
            out += "<ul class=\"clocks\">\n"
            for clock in clocks { self.clock(clock, into: &out) }
            out += "</ul>\n"
        }
        var facts = [text.opened(time.duration(snapshot.now - i.openedAt))]
        if i.acknowledgedAt != nil {
            facts.append(
                text.acknowledgedBy(problem.acknowledgedBy ?? "?") + (i.respondBreached ? " (\(text.late))" : ""))
        } else {
            facts.append(text.notAcknowledged)
        }
        if i.arrivedAt != nil {
            facts.append(text.arrived)
        } else if i.dispatchedAt != nil {
            facts.append(text.dispatched(problem.dispatchedBy))
        }
        if !problem.row.children.isEmpty { facts.append(text.affectedDevices(problem.row.children.count)) }
        out += "<p class=\"facts\">\(facts.map(HTML.text).joined(separator: " · "))</p>\n</article>\n"
    }

    private func clock(_ clock: IncidentClock, into out: inout String) {
        let label =
            switch clock.kind {
            case .respond: text.respondBy
            case .onsite: text.onsiteBy
            case .repair: text.repairBy
            case .plan: text.planBy
            }
        let left = clock.due - snapshot.now
        let state = left <= 0 ? text.overdue(time.duration(left)) : text.left(time.duration(left))
        out += "<li class=\"\(left <= 0 || clock.breached ? "late" : "due")\">\(HTML.text(label)) "
        out += "<time>\(HTML.text(time.clock(clock.due)))</time> · <b>\(HTML.text(state))</b></li>\n"
    }

    /// Site display name, and the kind or device it is about.
    func place(of i: Incident) -> String {
        var parts: [String] = []
        if let site = i.site { parts.append(siteName(site)) }
        if let device = i.device {
            parts.append(device)
        } else if let kind = i.kind {
            parts.append(text.kindName(kind))
        }
        return parts.joined(separator: " · ")
    }

    func siteName(_ id: String) -> String {
        snapshot.sites.first { $0.id == id }?.name ?? id
    }

    private func lastDay(into out: inout String) {
        func count(_ kind: AlertEvent.Kind, _ priority: Priority? = nil) -> Int {
            snapshot.lastDay.filter { $0.kind == kind && (priority == nil || $0.priority == priority) }
                .reduce(0) { $0 + $1.count }
        }
        out += "<h2>\(HTML.text(text.last24Hours))</h2>\n<ul class=\"day\">\n"
        let opened = Priority.allCases.map { "\($0.rawValue) \(count(.open, $0))" }.joined(separator: " · ")
        out += "<li><b>\(count(.open))</b> \(HTML.text(text.openedCount)) <small>\(opened)</small></li>\n"
        out += "<li><b>\(count(.resolve))</b> \(HTML.text(text.resolvedCount))</li>\n"
        out += "<li><b>\(count(.escalate))</b> \(HTML.text(text.escalatedCount))</li>\n"
        let breaches = count(.slaBreach)
        out += "<li\(breaches > 0 ? " class=\"late\"" : "")><b>\(breaches)</b> \(HTML.text(text.breachCount))</li>\n"
        out += "</ul>\n"
    }
}
