import FleetCore
import TOMLKit

extension ConfigurationLoader {
    static func readKinds(_ table: TOMLTable, into config: inout Configuration, report: @escaping (String, String) -> Void) {
        for name in table.keys.sorted() {
            let path = "kinds.\(name)"
            guard TopicParser.isValidIdentifier(name) else {
                report(path, "is not a valid kind name ([A-Za-z0-9_-]{1,64})")
                continue
            }
            guard let t = table[name]?.table else {
                report(path, "must be a table")
                continue
            }
            let r = TableReader(t, path: path, report: report)
            var kind = config.kinds[name] ?? KindSettings()
            kind.intervalSeconds = r.number("interval_s", kind.intervalSeconds, "must be > 0") { $0 > 0 }
            kind.missed = r.integer("missed", kind.missed, "must be >= 1") { $0 >= 1 }
            kind.core = r.bool("core", kind.core)
            if let rules = r.tableArray("rules") {
                for (i, ruleTable) in rules.enumerated() {
                    guard let rule = readRule(TableReader(ruleTable, path: "\(path).rules[\(i)]", report: report)) else {
                        continue
                    }
                    // A configured rule replaces the built-in rule of the same name; others stay.
                    if let existing = kind.rules.firstIndex(where: { $0.name == rule.name }) {
                        kind.rules[existing] = rule
                    } else {
                        kind.rules.append(rule)
                    }
                }
            }
            r.finish()
            config.kinds[name] = kind
        }
    }

    static func readRule(_ r: TableReader) -> MetricRule? {
        let name = r.string("name", "")
        if !TopicParser.isValidIdentifier(name) { r.problem("name", "must be set ([A-Za-z0-9_-]{1,64})") }
        let metric = r.string("metric", "")
        if metric.isEmpty { r.problem("metric", "must be set") }
        let forSeconds = r.number("for_s", 0, "must be >= 0") { $0 >= 0 }
        let priorityText = r.string("priority", "P2")
        let priority = Priority(rawValue: priorityText.uppercased())
        if priority == nil { r.problem("priority", "must be \"P1\" or \"P2\" (got \"\(priorityText)\")") }
        var conditions: [MetricRule.Condition] = []
        if r.table["below"] != nil {
            conditions.append(.below(r.number("below", 0, "must be a number") { _ in true }))
        }
        if r.table["above"] != nil {
            conditions.append(.above(r.number("above", 0, "must be a number") { _ in true }))
        }
        if let v = r.table["equals"] {
            r.touch("equals")
            if let b = v.bool {
                conditions.append(.equals(.bool(b)))
            } else if let s = v.string {
                conditions.append(.equals(.string(s)))
            } else if let i = v.int {
                conditions.append(.equals(.number(Double(i))))
            } else if let d = v.double {
                conditions.append(.equals(.number(d)))
            } else {
                r.problem("equals", "must be a number, boolean or string")
            }
        }
        if conditions.count != 1 {
            r.problem("below", "exactly one of below, above or equals must be set (got \(conditions.count))")
        }
        r.finish()
        guard let condition = conditions.first, conditions.count == 1, let priority, !metric.isEmpty,
              TopicParser.isValidIdentifier(name) else { return nil }
        return MetricRule(name: name, metric: metric, condition: condition, forSeconds: forSeconds, priority: priority)
    }

    static func readSites(_ table: TOMLTable, into config: inout Configuration, report: @escaping (String, String) -> Void) {
        for name in table.keys.sorted() {
            let path = "sites.\(name)"
            guard TopicParser.isValidIdentifier(name) else {
                report(path, "is not a valid site id ([A-Za-z0-9_-]{1,64})")
                continue
            }
            guard let t = table[name]?.table else {
                report(path, "must be a table")
                continue
            }
            let r = TableReader(t, path: path, report: report)
            config.sites[name] = SiteSettings(name: r.optionalString("name"))
            r.finish()
        }
    }

    static func readDevices(_ tables: [TOMLTable], into config: inout Configuration, report: @escaping (String, String) -> Void) {
        var seen: Set<String> = []
        for (i, t) in tables.enumerated() {
            let r = TableReader(t, path: "devices[\(i)]", report: report)
            let id = r.string("id", "")
            let site = r.string("site", "")
            let kind = r.string("kind", "")
            let name = r.optionalString("name")
            r.finish()
            var ok = true
            if !TopicParser.isValidIdentifier(id) {
                r.problem("id", "must match [A-Za-z0-9_-]{1,64} (got \"\(id)\")")
                ok = false
            } else if !seen.insert(id).inserted {
                r.problem("id", "\"\(id)\" is listed twice; device ids are unique across the fleet")
                ok = false
            }
            if !TopicParser.isValidIdentifier(site) {
                r.problem("site", "must match [A-Za-z0-9_-]{1,64} (got \"\(site)\")")
                ok = false
            }
            if config.kinds[kind] == nil {
                r.problem("kind", "\"\(kind)\" is not a configured kind")
                ok = false
            }
            if ok { config.devices.append(InventoryDevice(id: id, site: site, kind: kind, name: name)) }
        }
    }
}
