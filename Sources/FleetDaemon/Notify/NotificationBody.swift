import FleetCore

/// The body of a webhook request, per `format`: our JSON (SPEC §14), or the markdown message of
/// a WeCom (企业微信) or DingTalk (钉钉) group robot, written to be read on a phone: priority
/// and event first, then site, device, rule, summary, deadlines and the incident id.
struct NotificationBody {
    let time: TimeFormat

    func render(_ n: NotifyMessage, _ format: NotifyChannel.Format) -> String {
        switch format {
        case .json: json(n)
        case .wecom: wecom(n)
        case .dingtalk: dingtalk(n)
        }
    }

    /// `{id, event, incident, priority, rule, site, kind, device, ts, respond_by, onsite_by, msg}`,
    /// then the event's other fields, then `site_name`, `device_name` and `summary`.
    func json(_ n: NotifyMessage) -> String {
        var pairs: [(String, JSONText.Value)] = [
            ("id", .string(n.id)), ("event", .string(n.event)), ("incident", .optional(n.incidentLabel)),
            ("priority", .string(n.priority.rawValue)), ("rule", .optional(n.rule)), ("site", .optional(n.site)),
            ("kind", .optional(n.kind)), ("device", .optional(n.device)),
            ("ts", .string(time.format(n.time, milliseconds: true))), ("respond_by", timestamp(n.respondBy)),
            ("onsite_by", timestamp(n.onsiteBy)), ("msg", .optional(n.msg)),
        ]
        for field in n.extra { pairs.append((field.key, .string(field.value))) }
        pairs += [
            ("site_name", .optional(n.siteName)), ("device_name", .optional(n.deviceName)),
            ("summary", .optional(n.summary)),
        ]
        return JSONText.object(pairs)
    }

    /// `{"msgtype":"markdown","markdown":{"content":…}}`; WeCom breaks lines at `\n` and colours
    /// three ways (`warning` orange-red, `info` green, `comment` grey).
    func wecom(_ n: NotifyMessage) -> String {
        let colour = n.event == AlertEvent.Kind.resolve.rawValue ? "info" : n.priority == .p1 ? "warning" : "comment"
        var lines = ["**<font color=\"\(colour)\">\(n.priority.rawValue) \(n.event)</font>** \(n.incidentLabel ?? "")"]
        lines += details(n).map { "> \($0.label): \($0.value)" }
        return JSONText.object([
            ("msgtype", .string("markdown")),
            ("markdown", .raw(JSONText.object([("content", .string(Self.cut(lines.joined(separator: "\n"))))]))),
        ])
    }

    /// `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`; the title is what the phone's
    /// notification shows, and DingTalk needs a blank line between lines.
    func dingtalk(_ n: NotifyMessage) -> String {
        let title = [n.priority.rawValue, n.event, n.incidentLabel, n.siteName ?? n.site, n.rule]
            .compactMap { $0 }.joined(separator: " ")
        var lines = ["### \(n.priority.rawValue) \(n.event) \(n.incidentLabel ?? "")"]
        lines += details(n).map { "**\($0.label)**: \($0.value)" }
        return JSONText.object([
            ("msgtype", .string("markdown")),
            (
                "markdown",
                .raw(
                    JSONText.object([
                        ("title", .string(title)),
                        ("text", .string(Self.cut(lines.joined(separator: "\n\n")))),
                    ]))
            ),
        ])
    }

    /// The lines a person needs, labelled in Chinese for the maintenance teams' groups (the
    /// values stay as the log writes them, so they can be searched for).
    func details(_ n: NotifyMessage) -> [(label: String, value: String)] {
        var out: [(String, String)] = []
        if let site = n.site { out.append(("站点 site", n.siteName.map { "\($0) (\(site))" } ?? site)) }
        if let device = n.device {
            let what = [device, n.kind].compactMap { $0 }.joined(separator: ", ")
            out.append(("设备 device", n.deviceName.map { "\($0) (\(what))" } ?? what))
        } else if let kind = n.kind {
            out.append(("类型 kind", kind))
        }
        if let rule = n.rule { out.append(("规则 rule", rule)) }
        if let summary = n.summary { out.append(("摘要 summary", summary)) }
        if let msg = n.msg, msg != n.summary { out.append(("说明 message", msg)) }
        for field in n.extra where field.key == "sla" || field.key == "due" || field.key == "by" {
            out.append((field.key, field.value))
        }
        if let respondBy = n.respondBy { out.append(("响应时限 respond_by", short(respondBy))) }
        if let onsiteBy = n.onsiteBy { out.append(("到场时限 onsite_by", short(onsiteBy))) }
        out.append(("时间 time", short(n.time)))
        return out
    }

    private func timestamp(_ t: Double?) -> JSONText.Value { t.map { .string(time.format($0)) } ?? .null }

    /// `2026-11-27 10:30`: local time without seconds or offset, for a phone screen.
    private func short(_ t: Double) -> String {
        String(time.format(t).prefix(16)).replacing("T", with: " ")
    }

    /// WeCom takes at most 4096 bytes of markdown; DingTalk a little more. Cut at a character.
    static func cut(_ text: String, maxBytes: Int = 4000) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var out = ""
        for character in text {
            guard out.utf8.count + character.utf8.count <= maxBytes - 3 else { break }
            out.append(character)
        }
        return out + "…"
    }
}
