import FleetCore
import Foundation

/// How numbers, times and names read in the report's language.
struct ReportPhrases: Sendable {
    let language: ReportLanguage
    let localTime: LocalTime
    let siteNames: [String: String]
    let words: ReportWords

    init(_ language: ReportLanguage, localTime: LocalTime, siteNames: [String: String]) {
        self.language = language
        self.localTime = localTime
        self.siteNames = siteNames
        words = ReportWords.of(language)
    }

    var zh: Bool { language == .zhCN }

    func site(_ id: String?) -> String {
        guard let id else { return zh ? "全网" : "fleet" }
        return siteNames[id] ?? id
    }

    func kind(_ kind: String) -> String { RuleVocabulary.kind(kind, language) }
    func rule(_ rule: String) -> String { RuleVocabulary.rule(rule, language) }

    /// Where an incident is: its device at its site, or the site, or the fleet.
    func place(_ i: Incident) -> String {
        switch i.scope {
        case .device: "\(i.device ?? "?") · \(site(i.site))"
        case .site: site(i.site)
        case .kind: "\(site(i.site)) · \(kind(i.kind ?? "?"))"
        case .fleet: zh ? "全网" : "whole fleet"
        case .collector: zh ? "监控系统" : "monitoring"
        }
    }

    /// `99.87%`; `—` for no value.
    func percent(_ value: Double?, digits: Int = 2) -> String {
        guard let value else { return "—" }
        return String(format: "%.\(digits)f%%", value * 100)
    }

    /// `2 h 05 min`, `3 d 4 h`, `45 s` (zh: `2小时5分`).
    func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "—" }
        let s = Int(seconds.rounded())
        let d = s / 86400
        let h = s % 86400 / 3600
        let m = s % 3600 / 60
        if zh {
            if d > 0 { return h > 0 ? "\(d)天\(h)小时" : "\(d)天" }
            if h > 0 { return m > 0 ? "\(h)小时\(m)分" : "\(h)小时" }
            return m > 0 ? "\(m)分" : "\(s)秒"
        }
        if d > 0 { return h > 0 ? "\(d) d \(h) h" : "\(d) d" }
        if h > 0 { return m > 0 ? "\(h) h \(m) min" : "\(h) h" }
        return m > 0 ? "\(m) min" : "\(s) s"
    }

    /// Service time in hours, for sums over many devices: `4,320 h`, `11.2 h`, `45 min`.
    func hours(_ seconds: Double) -> String {
        guard seconds > 0 else { return "0" }
        guard seconds >= 3600 else { return duration(seconds) }
        let h = seconds / 3600
        let text = h >= 100 ? Self.grouped(Int(h.rounded())) : String(format: "%.1f", h)
        return zh ? "\(text)小时" : "\(text) h"
    }

    /// `12,345`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// `2026-11-03 14:05` in the SLA zone.
    func time(_ t: Double?) -> String {
        guard let t else { return "—" }
        let full = localTime.format.format(t)
        return String(full.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `11-03 14:05`: a time inside the period, short.
    func shortTime(_ t: Double?) -> String {
        guard let t else { return "—" }
        return String(time(t).dropFirst(5))
    }

    func date(_ t: Double) -> String { String(time(t).prefix(10)) }

    /// The period as a title: `2026年11月` / `November 2026`, or `2026-11-01 – 2026-11-15`.
    func periodTitle(_ p: ReportPeriod) -> String {
        if let month = p.month, let y = Int(month.prefix(4)), let m = Int(month.suffix(2)) {
            if zh { return "\(y)年\(m)月" }
            let names = [
                "January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December",
            ]
            return "\(names[m - 1]) \(y)"
        }
        return "\(time(p.from)) – \(time(p.to))"
    }

    /// `每天 09:00–12:00、13:00–22:00` / `every day 09:00–12:00, 13:00–22:00`.
    func calendar(_ sla: SLASettings) -> String {
        let hours = sla.serviceHours.map { "\(clock($0.startMinute))–\(clock($0.endMinute))" }
            .joined(separator: zh ? "、" : ", ")
        let days: String
        if Set(sla.serviceDays) == Set(Weekday.allCases) {
            days = zh ? "每天" : "every day"
        } else {
            let zhNames: [Weekday: String] = [
                .mon: "周一", .tue: "周二", .wed: "周三", .thu: "周四", .fri: "周五",
                .sat: "周六", .sun: "周日",
            ]
            days = Weekday.allCases.filter(sla.serviceDays.contains)
                .map { zh ? (zhNames[$0] ?? $0.rawValue) : $0.rawValue }.joined(separator: zh ? "、" : ", ")
        }
        let holidays =
            sla.holidays.isEmpty
            ? ""
            : (zh
                ? "（节假日除外 \(sla.holidays.count) 天）"
                : " (except \(sla.holidays.count) holidays)")
        return "\(days) \(hours)\(holidays)"
    }

    private func clock(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }

    func label(_ id: Int64) -> String { Incident.label(id) }

    /// English: `1 fault was` / `3 faults were`.
    func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

    /// Up to `limit` incident labels, then `…` and how many more.
    func labels(_ ids: [Int64], limit: Int = 6) -> String {
        let shown = ids.prefix(limit).map(label).joined(separator: ", ")
        return ids.count > limit ? shown + (zh ? " 等 \(ids.count) 条" : " and \(ids.count - limit) more") : shown
    }

    /// Up to `limit` names, then how many in all; `unit` counts them in Chinese (台 devices, 个 sites).
    func list(_ items: [String], limit: Int = 8, unit: String = "台") -> String {
        let shown = items.prefix(limit).joined(separator: zh ? "、" : ", ")
        return items.count > limit
            ? shown + (zh ? " 等 \(items.count) \(unit)" : " and \(items.count - limit) more") : shown
    }

    func by(_ who: String?) -> String {
        guard let who, !who.isEmpty else { return "" }
        return who == "auto" ? words.auto : who
    }
}
