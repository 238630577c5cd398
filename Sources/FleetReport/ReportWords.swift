import FleetCore

/// The fixed words of the report in one language: titles, headings, column names.
struct ReportWords: Sendable {
    let title: String
    let sectionStatus: String
    let sectionFaults: String
    let sectionRisks: String
    let sectionRecommendations: String
    let appendix: String
    let scopeAll: String
    let scope: String
    let period: String
    let timezone: String
    let generated: String
    let serviceTime: String
    let dataFrom: String
    let noData: String
    let emptyPeriod: String
    let availability: String
    let devices: String
    let downtime: String
    let eligible: String
    let maintenanceTime: String
    let sleepingTime: String
    let site: String
    let kind: String
    let device: String
    let incidents: String
    let problems: String
    let respondCompliance: String
    let onsiteCompliance: String
    let mtta: String
    let mttr: String
    let inServiceTime: String
    let bySite: String
    let byKind: String
    let dailyAvailability: String
    let downtimeHeatmap: String
    let topDowntime: String
    let topIncidents: String
    let maintenanceWindows: String
    let windowReason: String
    let from: String
    let until: String
    let byPriority: String
    let byRule: String
    let rule: String
    let count: String
    let incidentsPerDay: String
    let slaCompliance: String
    let clock: String
    let met: String
    let breached: String
    let pending: String
    let compliance: String
    let handling: String
    let handlingColumns: [String]
    /// Acknowledged, dispatched, arrived, resolved, major part needed, plan: the steps of the
    /// handling column.
    let stepNames: [String]
    let moreInJSON: String
    let risk: String
    let evidence: String
    let plan: String
    let noRisks: String
    let worstDay: String
    let reboots: String
    let unknown: String
    let auto: String
    let none: String
    let carriedOver: String
    let openAtEnd: String
    let groupedNote: String
    let quietBlipsNote: String
    let definitions: [String]

    static func of(_ language: ReportLanguage) -> ReportWords { language == .en ? english : chinese }

    static let chinese = ReportWords(
        title: "巡检报告", sectionStatus: "一、运行状态", sectionFaults: "二、故障及处理过程",
        sectionRisks: "三、潜在风险及应对计划", sectionRecommendations: "四、改进或优化建议", appendix: "附：指标说明",
        scopeAll: "全部站点", scope: "范围", period: "报告期", timezone: "时区", generated: "生成时间",
        serviceTime: "服务时间", dataFrom: "状态数据起始", noData: "无数据",
        emptyPeriod: "本报告期内没有设备运行数据，也没有故障记录。",
        availability: "可用率", devices: "设备数", downtime: "停机时长", eligible: "应服务时长",
        maintenanceTime: "维护时长", sleepingTime: "休眠时长", site: "站点", kind: "设备类型", device: "设备",
        incidents: "故障数", problems: "故障", respondCompliance: "响应达标率", onsiteCompliance: "到场达标率",
        mtta: "平均响应时间（MTTA）", mttr: "平均修复时间（MTTR）", inServiceTime: "按服务时间",
        bySite: "各站点运行情况", byKind: "各类设备运行情况", dailyAvailability: "每日可用率（按站点）",
        downtimeHeatmap: "设备停机热力图（服务时间内每日停机分钟）", topDowntime: "停机时间最长的设备",
        topIncidents: "故障次数最多的设备", maintenanceWindows: "维护窗口", windowReason: "原因", from: "开始",
        until: "结束", byPriority: "按级别", byRule: "按故障类型", rule: "故障类型", count: "次数",
        incidentsPerDay: "每日故障数（按级别）", slaCompliance: "SLA 达标情况", clock: "时限", met: "达标",
        breached: "超时", pending: "未到期", compliance: "达标率", handling: "故障处理记录",
        handlingColumns: ["编号", "级别", "故障及位置", "发生", "处理过程", "历时", "备注"],
        stepNames: ["确认", "派单", "到场", "解决", "需备件", "方案"],
        moreInJSON: "另有 %d 条记录未列出，见 JSON 版本（--format json）。", risk: "风险", evidence: "依据",
        plan: "应对计划", noRisks: "本期未发现需要跟进的风险。", worstDay: "最差一天", reboots: "重启次数",
        unknown: "未知", auto: "自动", none: "无", carriedOver: "上期遗留未解决", openAtEnd: "期末仍未解决",
        groupedNote: "站点或全网停运期间各设备的故障合并计入该停运，共 %d 条，不单独计数。",
        quietBlipsNote: "另有 %d 次短暂中断在通知前即已恢复，未计为故障（其停机时间计入可用率）。",
        definitions: [
            "应服务时长：报告期内 [sla] 服务时间中设备存在且不处于维护（maintenance）或休眠（sleeping）状态的时间。",
            "停机时长：应服务时长中设备处于离线（offline）状态的时间。可用率 = 1 − 停机时长 ÷ 应服务时长；站点、类型及全网按各设备合计计算。",
            "MTTA、MTTR：本期发生的故障从发生到确认、到解决的平均时间（自然时间）；括号内为按服务时间计。",
            "SLA：时限落在本期内的故障，有 SLA-BREACH 记录即为超时；否则在时限前已确认（到场、给出方案）或已解决即为达标。修复时限为自然时间。",
            "故障按问题计数：站点、类型或全网停运所包含的设备故障并入该停运，不重复计数。",
        ])

    static let english = ReportWords(
        title: "Inspection report", sectionStatus: "1. Operational status",
        sectionFaults: "2. Faults and how they were handled", sectionRisks: "3. Potential risks and plans",
        sectionRecommendations: "4. Improvement and optimisation recommendations", appendix: "Definitions",
        scopeAll: "all sites", scope: "Scope", period: "Period", timezone: "Time zone", generated: "Generated",
        serviceTime: "Service time", dataFrom: "State data from", noData: "no data",
        emptyPeriod: "No device was monitored and no fault was recorded in this period.",
        availability: "Availability", devices: "Devices", downtime: "Downtime", eligible: "Eligible time",
        maintenanceTime: "Maintenance", sleepingTime: "Sleeping", site: "Site", kind: "Kind", device: "Device",
        incidents: "Incidents", problems: "Faults", respondCompliance: "Response compliance",
        onsiteCompliance: "On-site compliance", mtta: "Mean time to acknowledge (MTTA)",
        mttr: "Mean time to resolve (MTTR)", inServiceTime: "in service time", bySite: "Sites",
        byKind: "Device kinds", dailyAvailability: "Daily availability per site",
        downtimeHeatmap: "Downtime per device and day (minutes of service time)",
        topDowntime: "Devices with the most downtime", topIncidents: "Devices with the most faults",
        maintenanceWindows: "Maintenance windows", windowReason: "Reason", from: "From", until: "Until",
        byPriority: "By priority", byRule: "By rule", rule: "Rule", count: "Count",
        incidentsPerDay: "Faults per day by priority", slaCompliance: "SLA compliance", clock: "Clock", met: "Met",
        breached: "Breached", pending: "Pending", compliance: "Compliance", handling: "How each fault was handled",
        handlingColumns: ["Id", "Pri", "Fault and place", "Opened", "Handling", "Took", "Notes"],
        stepNames: ["ack", "dispatched", "arrived", "resolved", "major part", "plan"],
        moreInJSON: "%d more are not listed here; see the JSON version (--format json).", risk: "Risk",
        evidence: "Evidence", plan: "Plan", noRisks: "No risk needing follow-up was found in this period.",
        worstDay: "Worst day", reboots: "Reboots", unknown: "unknown", auto: "auto", none: "none",
        carriedOver: "carried over unresolved", openAtEnd: "still open at the end",
        groupedNote: "%d device incidents during site or fleet outages are counted under those outages, not again.",
        quietBlipsNote:
            "%d short interruptions were over before anyone was told and are not counted as faults (their downtime counts in availability).",
        definitions: [
            "Eligible time: the period's [sla] service time during which the device existed and was neither in "
                + "maintenance nor sleeping.",
            "Downtime: eligible time in state offline. Availability = 1 − downtime ÷ eligible time; for a site, a "
                + "kind or the fleet, 1 − Σ downtime ÷ Σ eligible time over its devices.",
            "MTTA, MTTR: mean time from opening to acknowledgement and to resolution of the faults opened in the "
                + "period, in wall-clock time (in brackets: in service time).",
            "SLA: a fault whose deadline falls in the period is breached if it has an SLA-BREACH event, else met "
                + "if it was acknowledged (on site, planned) or resolved by then; the repair clock runs in wall-clock time.",
            "Faults are counted as problems: device incidents taken in by a site, kind or fleet outage count under "
                + "that outage, not again.",
        ])
}
