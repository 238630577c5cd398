import FleetCore

/// Every word of the status page, in English and in Chinese (`[report] language`). Written for
/// library staff: what a state means for the branch, not what the engine calls it.
struct PageText: Sendable {
    let htmlLanguage: String
    let title: String
    let monitoringHealthy: String
    let monitoringRunningSince: @Sendable (String) -> String
    let brokerConnected: String
    let brokerDisconnected: String
    let databaseFailing: String
    let brokerDownTooLong: String
    let updated: @Sendable (String, Int) -> String
    let devicesTotal: @Sendable (Int) -> String
    /// After the count: `3 open P1`, `3 个 P1 故障`.
    let openOfPriority: @Sendable (String) -> String
    let openIncidents: String
    let noOpenIncidents: String
    let moreIncidents: @Sendable (Int) -> String
    let opened: @Sendable (String) -> String
    let respondBy: String
    let onsiteBy: String
    let repairBy: String
    let planBy: String
    let left: @Sendable (String) -> String
    let overdue: @Sendable (String) -> String
    let late: String
    let acknowledgedBy: @Sendable (String) -> String
    let notAcknowledged: String
    let dispatched: @Sendable (String?) -> String
    let arrived: String
    let affectedDevices: @Sendable (Int) -> String
    let flapping: String
    let last24Hours: String
    let openedCount: String
    let resolvedCount: String
    let escalatedCount: String
    let breachCount: String
    let sites: String
    let allFine: @Sendable (Int) -> String
    let needAttention: @Sendable (Int) -> String
    let showAll: String
    let backToAll: String
    let hiddenDevices: @Sendable (Int) -> String
    /// The folded working devices of a site needing attention.
    let fineDevices: @Sendable (Int) -> String
    let lastSeen: String
    let never: String
    let since: String
    let firmware: String
    let kind: String
    let clockSkew: String
    let problem: String
    let ago: @Sendable (String) -> String
    let units: DurationUnits
    let states: [DeviceState: String]
    let kinds: [String: String]
    let rules: [String: String]
    let legend: String
    /// A site with opening hours: `open · closes 21:00`, `closed · opens 11-27 09:00`.
    let openUntil: @Sendable (String) -> String
    let closedUntil: @Sendable (String) -> String
    let openNoEnd: String
    let closedNoEnd: String
    let noSites: String

    struct DurationUnits: Sendable {
        let day: String
        let hour: String
        let minute: String
        let second: String
        /// Between a number and its unit, and between parts.
        let numberGap: String
        let partGap: String
    }

    func state(_ s: DeviceState) -> String { states[s] ?? s.rawValue }
    func kindName(_ k: String) -> String { kinds[k] ?? k }
    func ruleName(_ r: RuleID) -> String { rules[r.rawValue] ?? r.rawValue }

    static func forLanguage(_ language: ReportLanguage) -> PageText {
        switch language {
        case .en: english
        case .zhCN: chinese
        }
    }
}
