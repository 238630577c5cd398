import FleetCore

/// Each site with its devices as tiles coloured by state; a tile opens (tap, or hover for its
/// title) to when it was last heard and what is wrong with it.
extension StatusPage {
    func sites(into out: inout String) {
        out += "<section id=\"sites\">\n<h2>\(HTML.text(text.sites))</h2>\n"
        legend(into: &out)
        if snapshot.sites.isEmpty { out += "<p class=\"none\">\(HTML.text(text.noSites))</p>\n" }
        for entry in SiteLayout(snapshot.sites, focused: snapshot.focus != nil).entries { site(entry, into: &out) }
        out += "</section>\n"
    }

    private func legend(into out: inout String) {
        out += "<p class=\"legend\">\(HTML.text(text.legend)):"
        for state in Self.stateOrder {
            out += " <span class=\"chip st-\(state.rawValue)\">\(HTML.text(text.state(state)))</span>"
        }
        out += "</p>\n"
    }

    private func site(_ entry: SiteLayout.Entry, into out: inout String) {
        let site = entry.site
        let attention = site.needingAttention
        out += "<details class=\"site\(attention > 0 ? " attention" : "")\" id=\"site-\(HTML.text(site.id))\""
        out += entry.collapsed ? ">\n" : " open>\n"
        out += "<summary><span class=\"name\">\(HTML.text(site.name ?? site.id))</span>"
        if site.name != nil { out += " <span class=\"sid\">\(HTML.text(site.id))</span>" }
        if let hours = site.hours { out += " " + opening(hours) }
        let verdict = attention > 0 ? text.needAttention(attention) : text.allFine(site.devices.count)
        out += " <span class=\"verdict\">\(HTML.text(verdict))</span>"
        out += counts(of: site) + "</summary>\n"
        switch entry.tiles {
        case .all:
            tiles(site.devices, into: &out)
        case .attentionFirst(let shown, let hidden, let fineTiles):
            tiles(Array(site.devices.filter { !$0.state.isFine }.prefix(shown)), into: &out)
            let link = "<a href=\"/?site=\(HTML.text(HTML.queryValue(site.id)))\">\(HTML.text(text.showAll))</a>"
            if hidden > 0 { out += "<p class=\"more\">\(HTML.text(text.hiddenDevices(hidden))) · \(link)</p>\n" }
            let fine = site.devices.filter(\.state.isFine)
            if fineTiles {
                out += "<details class=\"fine\"><summary>\(HTML.text(text.fineDevices(fine.count)))</summary>\n"
                tiles(fine, into: &out)
                out += "</details>\n"
            } else if !fine.isEmpty {
                out += "<p class=\"more\">\(HTML.text(text.fineDevices(fine.count))) · \(link)</p>\n"
            }
        case .none:
            out += "<p class=\"more\"><a href=\"/?site=\(HTML.text(HTML.queryValue(site.id)))\">"
            out += "\(HTML.text(text.showAll))</a></p>\n"
        }
        out += "</details>\n"
    }

    /// `open · closes 21:00` / `closed · opens 11-27 09:00`: whether staff should expect the
    /// branch's devices to be up (sleep kinds are asleep while it is closed).
    private func opening(_ hours: SiteHoursView) -> String {
        let label =
            hours.open
            ? hours.nextClose.map { text.openUntil(time.clock($0)) } ?? text.openNoEnd
            : hours.nextOpen.map { text.closedUntil(time.clock($0)) } ?? text.closedNoEnd
        return "<span class=\"hours \(hours.open ? "open" : "closed")\">\(HTML.text(label))</span>"
    }

    /// `3 offline · 1 degraded · 40 working`, worst first.
    private func counts(of site: StatusPageSnapshot.Site) -> String {
        var byState: [DeviceState: Int] = [:]
        for device in site.devices { byState[device.state, default: 0] += 1 }
        var out = ""
        for state in Self.stateOrder where (byState[state] ?? 0) > 0 {
            out +=
                " <span class=\"chip st-\(state.rawValue)\"><b>\(byState[state] ?? 0)</b> \(HTML.text(text.state(state)))</span>"
        }
        return out
    }

    private func tiles(_ devices: [DeviceRecord], into out: inout String) {
        guard !devices.isEmpty else { return }
        out += "<ul class=\"tiles\">\n"
        for device in devices { tile(device, into: &out) }
        out += "</ul>\n"
    }

    private func tile(_ d: DeviceRecord, into out: inout String) {
        let state = text.state(d.state)
        let heard = d.lastSeen.map { "\(time.full($0)) (\(text.ago(time.duration(snapshot.now - $0))))" } ?? text.never
        var title = "\(d.id) · \(text.kindName(d.kind)) · \(state) · \(text.lastSeen) \(heard)"
        let problems = problemsByDevice[d.id] ?? []
        for problem in problems { title += " · \(text.ruleName(problem.rule))" }
        out += "<li class=\"tile st-\(d.state.rawValue)\" title=\"\(HTML.text(title))\"><details><summary>"
        out += "<span class=\"id\">\(HTML.text(d.id))</span>"
        if let name = d.name { out += "<span class=\"nm\">\(HTML.text(name))</span>" }
        out += "<span class=\"sw\">\(HTML.text(state))</span></summary>\n<dl>"
        out += "<dt>\(HTML.text(text.kind))</dt><dd>\(HTML.text(text.kindName(d.kind)))</dd>"
        out += "<dt>\(HTML.text(text.since))</dt><dd>\(HTML.text(time.full(d.stateSince)))</dd>"
        out += "<dt>\(HTML.text(text.lastSeen))</dt><dd>\(HTML.text(heard))</dd>"
        if let firmware = d.firmware { out += "<dt>\(HTML.text(text.firmware))</dt><dd>\(HTML.text(firmware))</dd>" }
        if d.clockSkewed { out += "<dt>!</dt><dd>\(HTML.text(text.clockSkew))</dd>" }
        for problem in problems {
            out += "<dt>\(HTML.text(text.problem))</dt><dd>\(HTML.text(Incident.label(problem.id))) "
            out += "\(HTML.text(text.ruleName(problem.rule))): \(HTML.text(problem.summary))</dd>"
        }
        out += "</dl></details></li>\n"
    }
}
