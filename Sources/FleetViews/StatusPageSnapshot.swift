import FleetCore
import FleetStore

/// Everything the status page shows, at one moment: a plain value, so the page is rendered
/// (and tested) from a fixed snapshot. `load` fills it from the store.
public struct StatusPageSnapshot: Sendable {
    /// Wall time the page is made at: ages and time left count from it.
    public var now: Double
    public var language: ReportLanguage
    public var time: TimeFormat
    public var health: MonitorHealth
    /// Sites in id order, each with its devices in id order.
    public var sites: [Site]
    /// Open problems, one per row (outages with their children folded in, as `fleetwatch
    /// incidents` shows them).
    public var problems: [Problem]
    /// Events of the last 24 hours by kind and priority.
    public var lastDay: [EventCount]
    /// `?site=ID`: only this site, with all of its devices.
    public var focus: String?
    public var refreshSeconds: Int

    public init(
        now: Double, language: ReportLanguage, time: TimeFormat, health: MonitorHealth,
        sites: [Site], problems: [Problem], lastDay: [EventCount], focus: String? = nil,
        refreshSeconds: Int = 10
    ) {
        self.now = now
        self.language = language
        self.time = time
        self.health = health
        self.sites = sites
        self.problems = problems
        self.lastDay = lastDay
        self.focus = focus
        self.refreshSeconds = refreshSeconds
    }

    /// The daemon's own state, as `/healthz` sees it.
    public struct MonitorHealth: Sendable, Equatable {
        public var startedAt: Double
        public var brokerConnected: Bool
        public var brokerDownTooLong: Bool
        public var databaseFailing: Bool

        public init(startedAt: Double, brokerConnected: Bool, brokerDownTooLong: Bool, databaseFailing: Bool) {
            self.startedAt = startedAt
            self.brokerConnected = brokerConnected
            self.brokerDownTooLong = brokerDownTooLong
            self.databaseFailing = databaseFailing
        }

        public var healthy: Bool { brokerConnected && !brokerDownTooLong && !databaseFailing }
    }

    public struct Site: Sendable, Equatable {
        public var id: String
        /// `[sites.ID] name`, the display name staff know the branch by.
        public var name: String?
        public var devices: [DeviceRecord]
        /// Open or closed now and until when, for a site with a `schedule` (SPEC §10); nil:
        /// always open, nothing to show.
        public var hours: SiteHoursView?

        public init(id: String, name: String?, devices: [DeviceRecord], hours: SiteHoursView? = nil) {
            self.id = id
            self.name = name
            self.devices = devices
            self.hours = hours
        }

        /// Devices that are not fine (`DeviceState.isFine`).
        public var needingAttention: Int { devices.count { !$0.state.isFine } }
    }

    public struct Problem: Sendable, Equatable {
        public var row: ProblemRow
        /// From the incident's `ACK` and `DISPATCH` events (`by=`), the latest of each.
        public var acknowledgedBy: String?
        public var dispatchedBy: String?

        public init(row: ProblemRow, acknowledgedBy: String? = nil, dispatchedBy: String? = nil) {
            self.row = row
            self.acknowledgedBy = acknowledgedBy
            self.dispatchedBy = dispatchedBy
        }
    }
}

extension DeviceState {
    /// Nothing for staff to do about it: working, or out of service on purpose. Exhaustive, so a
    /// new state must be placed here.
    public var isFine: Bool {
        switch self {
        case .online, .maintenance, .sleeping: true
        case .unknown, .degraded, .offline: false
        }
    }
}
