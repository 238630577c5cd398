import FleetCore

extension ConfigSchema {
    static var forecast: ConfigTable<ForecastDraft> {
        ConfigTable<ForecastDraft>(
            "A forecast of a kind: warns before a metric reaches a level, from the trend of its recent samples "
                + "(see docs/rules.md, battery-forecast).",
            keys: [
                .text(
                    "name", \.name, "Forecast name, used as the incident's `rule`.",
                    rule: TextRule(reference: "`[A-Za-z0-9_-]{1,64}`") {
                        TopicParser.isValidIdentifier($0) ? nil : "must be set ([A-Za-z0-9_-]{1,64})"
                    }, required: true),
                .text(
                    "metric", \.metric, "The heartbeat metric it follows (`metrics.NAME`, a number).",
                    rule: TextRule(reference: "not empty") { $0.isEmpty ? "must be set" : nil }, required: true),
                .optionalNumber("reaches", \.reaches, threshold, "The level at which service stops (required)."),
                .choice(
                    "direction", \.direction, ForecastRule.Direction.allCases,
                    "How the metric moves toward `reaches`: `falling` (a battery) or `rising` (a temperature)."),
                .seconds(
                    "within_s", \.withinSeconds, NumberRange(above: 0, upTo: week),
                    "Open when the level is predicted to be reached sooner than this."),
                .seconds(
                    "window_s", \.windowSeconds, NumberRange(above: 0, upTo: week),
                    "Fit over about this much recent history (older samples are forgotten exponentially)."),
                .count(
                    "min_samples", \.minSamples, 2...1000,
                    "Samples of the current run needed before there is a prediction."),
                .choice(
                    "priority", \.priority, Priority.allCases, "Priority of the incident it opens.",
                    normalize: { $0.uppercased() }),
            ],
            checks: [
                ConfigCheck("`reaches` is set") { r, draft in
                    if draft.reaches == nil && r.value("reaches") == nil { r.problem("reaches", "must be set") }
                }
            ])
    }

    /// Rule names a forecast may not take: its incidents would be another rule's.
    static let reservedRuleNames: Set<String> = [
        RuleID.offline, .fault, .degraded, .repeatedFailure, .siteOutage, .coreDown, .fleetOutage, .brokerUnreachable,
        .storageFailure, .dataLoss, .rebootLoop, .error, .brokerDropping,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// A configured forecast replaces the built-in forecast of the same name; others stay. Its name
    /// must not be one of the kind's metric rules or a built-in rule.
    static func addForecast(_ draft: ForecastDraft, to kind: inout KindSettings, _ r: TableReader) {
        guard r.problemCount == 0, let forecast = draft.forecast else { return }
        if reservedRuleNames.contains(forecast.name) || kind.rules.contains(where: { $0.name == forecast.name }) {
            r.problem("name", "\"\(forecast.name)\" is already a rule; a forecast needs a name of its own")
            return
        }
        if let existing = kind.forecasts.firstIndex(where: { $0.name == forecast.name }) {
            kind.forecasts[existing] = forecast
        } else {
            kind.forecasts.append(forecast)
        }
    }
}
