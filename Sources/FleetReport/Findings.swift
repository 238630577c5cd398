import FleetCore

/// A potential risk: what was seen, on which device (nil: a group of devices, or the watcher),
/// the plan for it, and the evidence it rests on (incident ids, device ids, figures).
public struct Risk: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case repeatedFailure = "repeated-failure"
        case forecast
        case dataQuality = "data-quality"
        case flapping
        case openIncident = "open-incident"
        case monitoringGap = "monitoring-gap"
        case nearMiss = "sla-near-miss"
        case neverHeard = "never-heard"
        case clockSkew = "clock-skew"
        case firmware
    }

    public let kind: Kind
    public let device: String?
    public let site: String?
    /// The rule behind it: the incidents' rule, or the kind of risk when no single rule is.
    public let rule: String
    public let text: String
    public let plan: String
    public let evidence: [String]
}

/// An improvement or optimisation, naming the evidence that calls for it.
public struct Recommendation: Sendable {
    public let text: String
    public let evidence: [String]
}

/// Derives the risks and recommendations from the figures. Every one names its evidence, so a
/// reader can check it against the tables and the incidents (`fleetwatch incident ID`).
struct Findings {
    let input: ReportInput
    let devices: [DeviceFigures]
    let sites: [GroupFigures]
    let incidents: IncidentFigures
    let sla: SLAFigures
    let handling: [HandlingRecord]
    let p: ReportPhrases
    /// Each device's own problems opened in the period, in order.
    let problemsByDevice: [String: [Incident]]
    /// Each grouping once: the risks and the recommendations both read them.
    private(set) var repeatedFailures: [Repeated] = []
    private(set) var forecasts: [DeviceProblem] = []
    private(set) var dataQuality: [DeviceProblem] = []

    /// The most devices one kind of risk lists one by one; the rest are summed up in one line.
    static let perDeviceLimit = 12

    init(
        input: ReportInput, devices: [DeviceFigures], sites: [GroupFigures], incidents: IncidentFigures,
        sla: SLAFigures, handling: [HandlingRecord], phrases: ReportPhrases
    ) {
        self.input = input
        self.devices = devices
        self.sites = sites
        self.incidents = incidents
        self.sla = sla
        self.handling = handling
        p = phrases
        var byDevice: [String: [Incident]] = [:]
        for record in handling where record.incident.scope == .device {
            if let id = record.incident.device { byDevice[id, default: []].append(record.incident) }
        }
        problemsByDevice = byDevice
        repeatedFailures = findRepeatedFailures()
        forecasts = findForecasts()
        dataQuality = findDataQuality()
    }

    /// The first `perDeviceLimit` of each kind of device risk, and one line for the rest.
    var risks: [Risk] {
        capped(repeatedFailures.map(\.risk)) + capped(forecasts.map(\.risk)) + capped(dataQuality.map(\.risk))
            + flapping + openAtEnd + monitoringGaps + nearMisses + neverHeard + clockSkew + firmware
    }

    private func capped(_ risks: [Risk]) -> [Risk] {
        guard risks.count > Self.perDeviceLimit, let kind = risks.first?.kind else { return risks }
        let rest = risks.dropFirst(Self.perDeviceLimit)
        let devices = Array(Set(rest.compactMap(\.device))).sorted()
        let text =
            p.zh
            ? "另有 \(rest.count) 项同类风险：\(p.list(devices))"
            : "\(rest.count) more of the same kind: \(p.list(devices))"
        let more = Risk(
            kind: kind, device: nil, site: nil, rule: rest.first?.rule ?? kind.rawValue, text: text,
            plan: p.zh ? "同上，逐台处理" : "as above, device by device",
            evidence: Array(rest.flatMap(\.evidence).prefix(50)))
        return Array(risks.prefix(Self.perDeviceLimit)) + [more]
    }

    // MARK: shared groupings

    /// A device with repeated problems in the period, with its dominant condition.
    struct Repeated {
        let device: String
        let site: String?
        let problems: [Incident]
        let mainRule: String
        let mainCount: Int
        let risk: Risk
    }

    /// Devices with at least `repeat_failures` problems, or one `repeated-failure`, most first.
    func findRepeatedFailures() -> [Repeated] {
        problemsByDevice.compactMap { device, list -> Repeated? in
            guard list.count >= input.repeatFailures || list.contains(where: { $0.rule == .repeatedFailure }) else {
                return nil
            }
            var counts: [String: Int] = [:]
            for i in list { counts[i.condition.rawValue, default: 0] += 1 }
            let sorted = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            let main = sorted.first ?? (key: "offline", value: 0)
            let site = list.first?.site
            let rules = sorted.map { "\(p.rule($0.key)) ×\($0.value)" }.joined(separator: p.zh ? "、" : ", ")
            let text =
                p.zh
                ? "\(device)（\(p.site(site))）本期发生 \(list.count) 次故障：\(rules)"
                : "\(device) at \(p.site(site)): \(p.count(list.count, "fault", "faults")) in the period (\(rules))"
            let risk = Risk(
                kind: .repeatedFailure, device: device, site: site, rule: RuleID.repeatedFailure.rawValue,
                text: text, plan: RuleVocabulary.action(for: main.key, p.language),
                evidence: list.map { Incident.label($0.id) })
            return Repeated(
                device: device, site: site, problems: list, mainRule: main.key, mainCount: main.value,
                risk: risk)
        }
        .sorted { ($1.problems.count, $0.device) < ($0.problems.count, $1.device) }
    }

    /// An open forecast or a data-quality problem on one device.
    struct DeviceProblem {
        let incident: Incident
        let risk: Risk
    }

    /// Forecast incidents (their OPEN line carries `eta=`) still open at the end of the period.
    func findForecasts() -> [DeviceProblem] {
        input.incidents.compactMap { i -> DeviceProblem? in
            guard i.isProblem, i.resolvedAt.map({ $0 >= input.period.to }) ?? true,
                let eta = (input.events[i.id] ?? []).first(where: { $0.kind == .open })?.field("eta")
            else { return nil }
            let etaText = RFC3339.parse(eta).map { p.time($0) } ?? eta
            let device = i.device ?? "?"
            let text =
                p.zh
                ? "\(device)（\(p.site(i.site))）：\(p.rule(i.rule.rawValue)) 预测在 \(etaText) 前到达阈值"
                : "\(device) at \(p.site(i.site)): \(i.rule.rawValue) predicts its threshold by \(etaText)"
            let plan =
                RuleVocabulary.action(for: i.rule.rawValue, p.language)
                + (p.zh ? "，须在 \(etaText) 之前完成" : ", before \(etaText)")
            return DeviceProblem(
                incident: i,
                risk: Risk(
                    kind: .forecast, device: i.device, site: i.site,
                    rule: i.rule.rawValue, text: text, plan: plan,
                    evidence: [Incident.label(i.id)]))
        }
    }

    /// Data loss and reboot loops (SPEC §11) opened in the period.
    func findDataQuality() -> [DeviceProblem] {
        handling.map(\.incident).filter { ["data-loss", "reboot-loop"].contains($0.condition.rawValue) }
            .map { i in
                let device = i.device ?? "?"
                let rule = i.condition.rawValue
                let text =
                    p.zh
                    ? "\(device)（\(p.site(i.site))）：\(p.rule(rule))，\(p.time(i.openedAt))"
                    : "\(device) at \(p.site(i.site)): \(rule) on \(p.time(i.openedAt))"
                return DeviceProblem(
                    incident: i,
                    risk: Risk(
                        kind: .dataQuality, device: i.device, site: i.site,
                        rule: rule, text: text,
                        plan: RuleVocabulary.action(for: rule, p.language),
                        evidence: [Incident.label(i.id)]))
            }
    }

    /// The period's problems still unresolved when it ended, oldest first.
    var stillOpen: [Incident] {
        input.incidents.filter {
            $0.isProblem && $0.openedAt < input.period.to && ($0.resolvedAt.map { $0 >= input.period.to } ?? true)
        }
        .sorted { $0.openedAt < $1.openedAt }
    }

    /// Devices of the inventory that were never heard, in id order.
    var neverHeardDevices: [DeviceRecord] {
        let existed = Set(devices.filter(\.existed).map(\.id))
        return input.devices.filter { $0.lastSeen == nil && existed.contains($0.id) }
    }

    /// Per kind: the newest firmware and the devices behind it (kinds with one version are left out).
    var firmwareSpread: [(kind: String, newest: String, behind: [DeviceRecord], total: Int)] {
        var byKind: [String: [DeviceRecord]] = [:]
        for d in input.devices where d.firmware.map({ !$0.isEmpty }) ?? false { byKind[d.kind, default: []].append(d) }
        return byKind.keys.sorted().compactMap { kind in
            let list = byKind[kind] ?? []
            guard let newest = list.compactMap(\.firmware).max(by: { FirmwareVersion.isOlder($0, than: $1) }) else {
                return nil
            }
            let behind = list.filter { ($0.firmware).map { FirmwareVersion.isOlder($0, than: newest) } ?? false }
            return behind.isEmpty ? nil : (kind, newest, behind.sorted { $0.id < $1.id }, list.count)
        }
    }
}
