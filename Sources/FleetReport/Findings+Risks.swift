import FleetCore

/// The risks that are not one device's repeated faults, forecasts or data quality.
extension Findings {
    /// Devices whose problems were marked flapping, one risk each (the first `perDeviceLimit`).
    var flapping: [Risk] {
        var byDevice: [String: [Incident]] = [:]
        for record in handling where record.flapped && record.incident.scope == .device {
            byDevice[record.incident.device ?? "?", default: []].append(record.incident)
        }
        let plan =
            p.zh
            ? "检查网线、电源接头是否松动及无线信号强度；稳定后观察一周"
            : "check for a loose network or power connector and for a weak wireless signal; watch it for a week"
        return byDevice.keys.sorted().prefix(Self.perDeviceLimit).map { device in
            let list = byDevice[device] ?? []
            let site = list.first?.site
            let text =
                p.zh
                ? "\(device)（\(p.site(site))）：状态频繁变化（flapping），\(list.count) 个故障受影响"
                : "\(device) at \(p.site(site)): its state flapped (\(list.count) faults affected)"
            return Risk(
                kind: .flapping, device: device, site: site, rule: "flapping", text: text, plan: plan,
                evidence: list.map { Incident.label($0.id) })
        }
    }

    /// Problems still open when the period ended: one line, the oldest named.
    var openAtEnd: [Risk] {
        let open = stillOpen
        guard let oldest = open.first else { return [] }
        let text =
            p.zh
            ? "期末仍有 \(open.count) 个故障未解决，最早的 \(Incident.label(oldest.id))（\(p.place(oldest))）发生于 \(p.time(oldest.openedAt))"
            : "\(open.count) faults were still open at the end of the period; the oldest, \(Incident.label(oldest.id)) "
                + "(\(p.place(oldest))), opened \(p.time(oldest.openedAt))"
        let plan =
            p.zh
            ? "逐一处理或记录处理计划（fleetwatch note），在下期报告中跟进"
            : "work each one or record its plan (fleetwatch note), and follow them up in the next report"
        return [
            Risk(
                kind: .openIncident, device: nil, site: nil, rule: "open-incident", text: text, plan: plan,
                evidence: open.prefix(20).map { Incident.label($0.id) })
        ]
    }

    /// The watcher's own problems: while they lasted, device states may be incomplete.
    var monitoringGaps: [Risk] {
        handling.map(\.incident).filter { $0.scope == .collector }.prefix(Self.perDeviceLimit).map { i in
            let lasted = p.duration((i.resolvedAt ?? input.period.to) - i.openedAt)
            let text =
                p.zh
                ? "监控系统 \(p.rule(i.rule.rawValue))：\(p.time(i.openedAt)) 起持续 \(lasted)，期间设备状态可能不完整"
                : "monitoring: \(i.rule.rawValue) from \(p.time(i.openedAt)) for \(lasted); device states may be incomplete then"
            let plan =
                p.zh
                ? "检查消息服务器与监控主机（网络、磁盘、服务状态），必要时配置告警通知"
                : "check the broker and the monitoring host (network, disk, services); route its alerts to someone"
            return Risk(
                kind: .monitoringGap, device: nil, site: nil, rule: i.rule.rawValue, text: text, plan: plan,
                evidence: [Incident.label(i.id)])
        }
    }

    /// Deadlines met with little time left: one line per clock.
    var nearMisses: [Risk] {
        SLAClock.allCases.compactMap { clock in
            let misses = sla.nearMisses.filter { $0.clock == clock }
            guard !misses.isEmpty else { return nil }
            let name = p.clockName(clock)
            let text =
                p.zh
                ? "\(misses.count) 个\(name)时限在剩余不足四分之一时才完成"
                : "\(misses.count) \(name) deadlines were met with less than a quarter of their time left"
            let plan =
                p.zh
                ? "复核服务时间内的值守与派单安排，确保告警及时有人处理"
                : "review who watches the alerts and dispatches engineers during service hours"
            return Risk(
                kind: .nearMiss, device: nil, site: nil, rule: "sla-\(clock.rawValue)", text: text, plan: plan,
                evidence: misses.prefix(20).map { Incident.label($0.incident.id) })
        }
    }

    var neverHeard: [Risk] {
        let list = neverHeardDevices
        guard !list.isEmpty else { return [] }
        let ids = list.map(\.id)
        let text =
            p.zh
            ? "\(list.count) 台登记设备从未上报心跳：\(p.list(ids))"
            : "\(list.count) inventory devices have never been heard: \(p.list(ids))"
        let plan =
            p.zh
            ? "确认设备已安装、通电并配置了正确的主题；已撤除的设备从 [[devices]] 中删除"
            : "check that each is installed, powered and publishing on the right topic; remove retired ones from [[devices]]"
        return [
            Risk(
                kind: .neverHeard, device: list.count == 1 ? ids[0] : nil, site: nil, rule: "never-heard",
                text: text, plan: plan, evidence: Array(ids.prefix(50)))
        ]
    }

    var clockSkew: [Risk] {
        let ids = input.devices.filter(\.clockSkewed).map(\.id)
        guard !ids.isEmpty else { return [] }
        let text =
            p.zh
            ? "\(ids.count) 台设备时钟偏差超过 max_clock_skew_s：\(p.list(ids))"
            : "\(ids.count) devices' clocks are off by more than max_clock_skew_s: \(p.list(ids))"
        let plan = p.zh ? "在设备上启用 NTP 时间同步" : "enable NTP time synchronisation on them"
        return [
            Risk(
                kind: .clockSkew, device: ids.count == 1 ? ids[0] : nil, site: nil, rule: "clock-skew",
                text: text, plan: plan, evidence: Array(ids.prefix(50)))
        ]
    }

    var firmware: [Risk] {
        firmwareSpread.map { spread in
            var versions: [String: Int] = [:]
            for d in spread.behind { versions[d.firmware ?? "?", default: 0] += 1 }
            let detail = versions.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            let kind = p.kind(spread.kind)
            let text =
                p.zh
                ? "\(kind)：\(spread.total) 台中有 \(spread.behind.count) 台固件低于最新版本 \(spread.newest)（\(detail)）"
                : "\(kind): \(spread.behind.count) of \(spread.total) devices run firmware older than \(spread.newest) (\(detail))"
            let plan =
                p.zh
                ? "先在一台设备上验证 \(spread.newest)，再在维护窗口内分批升级"
                : "try \(spread.newest) on one device, then upgrade the rest in maintenance windows"
            return Risk(
                kind: .firmware, device: nil, site: nil, rule: "firmware", text: text, plan: plan,
                evidence: spread.behind.prefix(50).map(\.id))
        }
    }
}

extension ReportPhrases {
    func clockName(_ clock: SLAClock) -> String {
        switch clock {
        case .respond: zh ? "响应" : "response"
        case .onsite: zh ? "到场" : "on-site"
        case .resolve: zh ? "修复" : "repair"
        case .plan: zh ? "备件方案" : "major-part plan"
        }
    }
}
