import FleetCore

/// Recommendations, most pressing first; each says what to do and names what calls for it.
extension Findings {
    /// Sites below this availability get a recommendation of their own.
    static let siteAvailabilityFloor = 0.99
    /// The most recommendations of one kind listed one by one.
    static let recommendationLimit = 8

    /// `risks` as `risks` made them: the kinds that are not recommended on their own terms are
    /// recommended as risk → plan.
    func recommendations(_ risks: [Risk]) -> [Recommendation] {
        var out = slaBreaches + repeatedFaults + siteOutages + weakSites
        out += forecasts.prefix(Self.recommendationLimit).map {
            Recommendation(
                text: $0.risk.text + " → " + $0.risk.plan,
                evidence: $0.risk.evidence)
        }
        out += dataQuality.prefix(Self.recommendationLimit).map {
            Recommendation(
                text: $0.risk.text + " → " + $0.risk.plan,
                evidence: $0.risk.evidence)
        }
        let asPlans: Set<Risk.Kind> = [
            .flapping, .openIncident, .monitoringGap, .nearMiss, .neverHeard, .clockSkew,
            .firmware,
        ]
        out += risks.filter { asPlans.contains($0.kind) }
            .map { Recommendation(text: $0.text + " → " + $0.plan, evidence: $0.evidence) }
        if out.isEmpty {
            out.append(
                Recommendation(
                    text: p.zh
                        ? "本期运行平稳，未发现重复故障或超时；保持现有巡检与维护周期。"
                        : "Operation was steady, with no repeated fault or missed deadline: keep the current inspection and "
                            + "maintenance schedule.",
                    evidence: [p.zh ? "可用率 " : "availability " + p.percent(fleetAvailability)]))
        }
        return out
    }

    private var fleetAvailability: Double? {
        let eligible = devices.reduce(0) { $0 + $1.eligible }
        let down = devices.reduce(0) { $0 + $1.downtime }
        return eligible > 0 ? 1 - down / eligible : nil
    }

    /// Missed deadlines: one recommendation per clock.
    var slaBreaches: [Recommendation] {
        SLAClock.allCases.compactMap { clock in
            guard let list = sla.breached[clock], !list.isEmpty else { return nil }
            let labels = p.labels(list.map(\.id), limit: 3)
            let text: String
            switch clock {
            case .respond:
                text =
                    p.zh
                    ? "\(list.count) 个故障未在响应时限内确认（\(labels)）→ 服务时间内安排专人值守告警，并将告警推送到手机（通知）"
                    : "\(p.count(list.count, "fault was", "faults were")) not acknowledged within the response time "
                        + "(\(labels)) → have someone on duty watch the alerts throughout service hours, and send them "
                        + "to a phone (notifications)"
            case .onsite:
                text =
                    p.zh
                    ? "\(list.count) 个故障工程师未在到场时限内到达（\(labels)）→ 复核派单与路程安排，在故障最多的分馆备好备件"
                    : "\(p.count(list.count, "on-site deadline was", "on-site deadlines were")) missed (\(labels)) → "
                        + "review dispatch and travel times, and keep spare parts at the branches with the most faults"
            case .resolve:
                text =
                    p.zh
                    ? "\(list.count) 个故障未在修复时限（3 天）内解决（\(labels)）→ 备足常用备件，对超期故障与厂商逐一跟进"
                    : "\(p.count(list.count, "fault was", "faults were")) not repaired within the repair time "
                        + "(\(labels)) → keep common spare parts in stock and follow each overdue fault up with the vendor"
            case .plan:
                text =
                    p.zh
                    ? "\(list.count) 个需更换主要部件的故障未按时给出方案（\(labels)）→ 与厂商约定主要部件的报价与方案时限"
                    : "\(p.count(list.count, "major-part fault had", "major-part faults had")) no plan in time "
                        + "(\(labels)) → agree with the vendor how fast a quote and a plan for major parts come"
            }
            return Recommendation(text: text, evidence: list.prefix(20).map { Incident.label($0.id) })
        }
    }

    /// "gate-03 at 天山路: 4 camera-down faults in the period (INC-…) → replace the camera module".
    var repeatedFaults: [Recommendation] {
        let all = repeatedFailures
        var out = all.prefix(Self.recommendationLimit).map { r in
            let labels = p.labels(r.problems.map(\.id), limit: 3)
            let action = RuleVocabulary.action(for: r.mainRule, p.language)
            let what =
                r.mainCount == r.problems.count
                ? (p.zh ? "\(r.problems.count) 次\(p.rule(r.mainRule))" : "\(r.problems.count) \(r.mainRule) faults")
                : (p.zh
                    ? "\(r.problems.count) 次故障，其中 \(r.mainCount) 次\(p.rule(r.mainRule))"
                    : "\(r.problems.count) faults, \(r.mainCount) of them \(r.mainRule)")
            let text =
                p.zh
                ? "\(r.device)（\(p.site(r.site))）：本期 \(what)（\(labels)）→ \(action)"
                : "\(r.device) at \(p.site(r.site)): \(what) in the period (\(labels)) → \(action)"
            return Recommendation(text: text, evidence: r.risk.evidence)
        }
        if all.count > Self.recommendationLimit {
            let rest = all.dropFirst(Self.recommendationLimit)
            out.append(
                Recommendation(
                    text: p.zh
                        ? "另有 \(rest.count) 台设备本期故障达 \(input.repeatFailures) 次以上（见第三节）→ 安排集中检修"
                        : "\(rest.count) more devices had \(input.repeatFailures) or more faults (see section 3) → schedule "
                            + "a round of repairs",
                    evidence: rest.map(\.device)))
        }
        return out
    }

    /// Branches that went down as a whole: the branch's network and power, not its devices.
    var siteOutages: [Recommendation] {
        var bySite: [String: [Incident]] = [:]
        for record in handling where record.incident.scope == .site || record.incident.scope == .kind {
            bySite[record.incident.site ?? "?", default: []].append(record.incident)
        }
        let action = RuleVocabulary.action(for: RuleID.siteOutage.rawValue, p.language)
        let sites = bySite.keys.sorted { (bySite[$1]?.count ?? 0, $0) < (bySite[$0]?.count ?? 0, $1) }
        var out = sites.prefix(Self.recommendationLimit).map { site in
            let list = bySite[site] ?? []
            let labels = p.labels(list.map(\.id), limit: 3)
            let text =
                p.zh
                ? "\(p.site(site))：本期 \(list.count) 次站点级停运（\(labels)）→ \(action)"
                : "\(p.site(site)): \(p.count(list.count, "branch-wide outage", "branch-wide outages")) in the period "
                    + "(\(labels)) → \(action)"
            return Recommendation(text: text, evidence: list.map { Incident.label($0.id) })
        }
        let rest = sites.dropFirst(Self.recommendationLimit)
        if !rest.isEmpty {
            let names = p.list(rest.map { p.site($0) }, limit: 4, unit: "个")
            let ids = rest.flatMap { bySite[$0] ?? [] }.map(\.id)
            let text =
                p.zh
                ? "另有 \(rest.count) 个站点本期发生站点级停运：\(names)（\(p.labels(ids, limit: 3))）→ \(action)"
                : "\(rest.count) more branches had branch-wide outages: \(names) (\(p.labels(ids, limit: 3))) → \(action)"
            out.append(Recommendation(text: text, evidence: ids.prefix(20).map(Incident.label)))
        }
        return out
    }

    /// Sites below the availability floor, with the device that cost them most.
    var weakSites: [Recommendation] {
        let weakest = sites.filter { ($0.total.availability ?? 1) < Self.siteAvailabilityFloor }
            .sorted { ($0.total.availability ?? 1, $0.id) < ($1.total.availability ?? 1, $1.id) }
        return weakest.prefix(Self.recommendationLimit).compactMap { site in
            guard let availability = site.total.availability, availability < Self.siteAvailabilityFloor,
                let worst = devices.filter({ $0.site == site.id && $0.downtime > 0 }).max(by: {
                    $0.downtime < $1.downtime
                })
            else { return nil }
            let rule = problemsByDevice[worst.id]?.first?.condition.rawValue ?? RuleID.offline.rawValue
            let action = RuleVocabulary.action(for: rule, p.language)
            let share = p.percent(worst.downtime / max(site.total.downtime, 1), digits: 0)
            let text =
                p.zh
                ? "\(p.site(site.id))：可用率 \(p.percent(availability))，停机 \(p.duration(site.total.downtime))，其中 \(worst.id) 占 \(share)（\(p.duration(worst.downtime))）→ 先处理 \(worst.id)：\(action)"
                : "\(p.site(site.id)): availability \(p.percent(availability)), \(p.duration(site.total.downtime)) down, "
                    + "\(share) of it \(worst.id) (\(p.duration(worst.downtime))) → start with \(worst.id): \(action)"
            return Recommendation(
                text: text,
                evidence: [worst.id]
                    + (problemsByDevice[worst.id] ?? []).prefix(10)
                    .map { Incident.label($0.id) })
        }
    }
}
