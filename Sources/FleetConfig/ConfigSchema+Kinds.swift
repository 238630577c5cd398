import FleetCore
import TOMLKit

extension ConfigSchema {
    /// Heartbeat periods from a tenth of a second (tests) to a day; metric thresholds up to
    /// 1e15 either way, about where a Double stops holding every whole number.
    static let threshold = NumberRange(within: 1e15, written: "±1e15")

    static var kind: ConfigTable<KindSettings> {
        ConfigTable<KindSettings>(
            "A kind of device. The four built-in kinds exist without being listed; a listed key changes only itself.",
            keys: [
                .seconds(
                    "interval_s", \.intervalSeconds, NumberRange(0.1, day),
                    "Expected heartbeat period (a heartbeat's own `interval_s` wins)."),
                .count("missed", \.missed, 1...100, "Offline after `interval_s × missed` without a heartbeat."),
                .flag("core", \.core, "All of a site's devices of this kind offline → P1 `core-down`."),
                .choice(
                    "off_hours", \.offHours, OffHours.allCases,
                    "`monitor`: watched around the clock; `sleep`: silent while its site is closed is `sleeping`, "
                        + "not `offline` (SPEC §10)."),
                .seconds(
                    "wake_grace_s", \.wakeGraceSeconds, NumberRange(0, day),
                    "After its site opens, a sleeping device has this long to be heard before it is `offline`."),
            ],
            nested: [
                .tableArray(
                    "rules", new: { MetricRuleDraft() }, rule,
                    rules: [
                        "a rule replaces the kind's built-in rule of the same name; "
                            + "other built-in rules stay"
                    ],
                    add: addRule),
                .tableArray(
                    "forecasts", new: { ForecastDraft() }, forecast,
                    rules: [
                        "a forecast replaces the kind's built-in forecast of the same name; "
                            + "other built-in forecasts stay",
                        "its `name` is not one of the kind's rules nor a built-in rule",
                    ],
                    add: addForecast),
                .namedTables(
                    "error_codes", \.errorCodes, naming: "error code", placeholder: "CODE", replacing: true,
                    new: { _ in ErrorCode("") }, errorCode),
            ],
            notes: [builtInKindsTable, builtInErrorCodesTable])
    }

    static var errorCode: ConfigTable<ErrorCode> {
        ConfigTable<ErrorCode>(
            "An error code of a kind, as heartbeats carry it in `errors` (`E_DOOR_JAM = { priority = \"P1\", "
                + "text = \"a locker door is jammed\" }`). A configured code replaces the built-in entry of the "
                + "same code; other built-in codes stay.",
            keys: [
                .text(
                    "text", \.text,
                    "What the code means, shown with it in `fleetwatch device`; without it the code is shown "
                        + "alone (also a built-in code it replaces: an entry replaces the built-in one whole)."),
                .optionalChoice(
                    "priority", \.priority, Priority.allCases,
                    "Priority of the `error` incident the code opens; without it the code is described "
                        + "but opens nothing by itself.", normalize: { $0.uppercased() }),
            ])
    }

    /// The built-in error catalogs, for the reference, from the values the engine uses.
    static var builtInErrorCodesTable: String {
        var lines = [
            "Built-in error codes (`[kinds.NAME.error_codes]` replaces a code's entry; the others stay):", "",
            "| kind | code | priority | text |", "|---|---|---|---|",
        ]
        for name in KindSettings.builtInNames {
            for (code, entry) in (KindSettings.builtIn[name]?.errorCodes ?? [:]).sorted(by: { $0.key < $1.key }) {
                lines.append("| `\(name)` | `\(code)` | \(entry.priority?.rawValue ?? "—") | \(entry.text) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    static var rule: ConfigTable<MetricRuleDraft> {
        ConfigTable<MetricRuleDraft>(
            "A metric rule of a kind: a condition on one heartbeat metric that opens an incident once it has "
                + "held long enough.",
            keys: [
                .text(
                    "name", \.name, "Rule name, used as the incident's `rule`.",
                    rule: TextRule(reference: "`[A-Za-z0-9_-]{1,64}`") {
                        TopicParser.isValidIdentifier($0) ? nil : "must be set ([A-Za-z0-9_-]{1,64})"
                    }, required: true),
                .text(
                    "metric", \.metric, "The heartbeat metric it watches (`metrics.NAME`).",
                    rule: TextRule(reference: "not empty") { $0.isEmpty ? "must be set" : nil }, required: true),
                .optionalNumber("below", \.below, threshold, "Holds while the metric is below this number."),
                .optionalNumber("above", \.above, threshold, "Holds while the metric is above this number."),
                .custom(
                    "equals", type: "number, boolean or string",
                    range: "a number within ±1e15, a boolean or a string",
                    "Holds while the metric equals this value.", renderDefault: { _ in "—" }, read: readEquals),
                .seconds(
                    "for_s", \.forSeconds, NumberRange(0, week),
                    "The condition must hold this long, on consecutive heartbeats, before the incident opens."),
                .choice(
                    "priority", \.priority, Priority.allCases, "Priority of the incident it opens.",
                    normalize: { $0.uppercased() }),
            ],
            checks: [
                ConfigCheck("exactly one of `below`, `above` and `equals` is set") { r, _ in
                    // Counted as written, so a condition with a bad value is named once, for its value.
                    let given = ["below", "above", "equals"].filter { isCondition(r.table[$0]) }.count
                    if given != 1 {
                        r.problem("below", "exactly one of below, above or equals must be set (got \(given))")
                    }
                }
            ])
    }

    /// A key that states a condition: a number, or for `equals` also a boolean or a string.
    static func isCondition(_ value: TOMLValueConvertible?) -> Bool {
        guard let value else { return false }
        return value.int != nil || value.double != nil || value.bool != nil || value.string != nil
    }

    static func readEquals(_ r: TableReader, _ draft: inout MetricRuleDraft) {
        guard let v = r.value("equals") else { return }
        if let b = v.bool {
            draft.equals = .bool(b)
        } else if let s = v.string {
            draft.equals = .string(s)
        } else if v.int != nil || v.double != nil {
            if let n = ConfigKey<MetricRuleDraft>.checked(r, "equals", threshold) { draft.equals = .number(n) }
        } else {
            r.problem("equals", "must be a number, boolean or string")
        }
    }

    /// A configured rule replaces the built-in rule of the same name; others stay.
    static func addRule(_ draft: MetricRuleDraft, to kind: inout KindSettings, _ r: TableReader) {
        guard r.problemCount == 0, let rule = draft.rule else { return }
        if let existing = kind.rules.firstIndex(where: { $0.name == rule.name }) {
            kind.rules[existing] = rule
        } else {
            kind.rules.append(rule)
        }
    }

    /// The built-in kinds, for the reference, from the values the engine uses.
    static var builtInKindsTable: String {
        var lines = [
            "Built-in kinds (a configured key, rule or forecast changes only itself):", "",
            "| kind | interval_s | missed | core | rules | forecasts |", "|---|---|---|---|---|---|",
        ]
        for name in KindSettings.builtInNames {
            guard let kind = KindSettings.builtIn[name] else { continue }
            let rules = kind.rules.map { rule -> String in
                let condition: String
                switch rule.condition {
                case .below(let n): condition = "below \(TableReader.show(n))"
                case .above(let n): condition = "above \(TableReader.show(n))"
                case .equals(let v): condition = "= \(v)"
                }
                return "`\(rule.name)`: `\(rule.metric)` \(condition) for \(TableReader.show(rule.forSeconds)) s, "
                    + rule.priority.rawValue
            }
            let forecasts = kind.forecasts.map { f in
                "`\(f.name)`: `\(f.metric)` \(f.direction.rawValue) to \(TableReader.show(f.reaches)) within "
                    + "\(TableReader.show(f.withinSeconds)) s (window \(TableReader.show(f.windowSeconds)) s, "
                    + "min_samples \(f.minSamples)), \(f.priority.rawValue)"
            }
            lines.append(
                "| `\(name)` | \(TableReader.show(kind.intervalSeconds)) | \(kind.missed) | "
                    + "\(kind.core ? "yes" : "no") | \(rules.joined(separator: "; ")) | "
                    + "\(forecasts.isEmpty ? "—" : forecasts.joined(separator: "; ")) |")
        }
        return lines.joined(separator: "\n")
    }
}
