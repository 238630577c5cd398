/// The validated configuration of the whole system: what the daemon, the CLI and
/// `--check-config` share. Built by `FleetConfig.ConfigurationLoader`; every field has the
/// default documented in the README's key table.
public struct Configuration: Sendable, Equatable {
    public var mqtt = MQTTSettings()
    public var storage = StorageSettings()
    /// `[ha]`: active/standby on a shared PostgreSQL database (SPEC §15).
    public var ha = HASettings()
    public var control = ControlSettings()
    public var metrics = MetricsSettings()
    public var detection = DetectionSettings()
    public var escalation = EscalationSettings()
    public var sla = SLASettings()
    public var report = ReportSettings()
    /// Kind name → settings; always holds the four built-in kinds.
    public var kinds: [String: KindSettings] = KindSettings.builtIn
    public var devices: [InventoryDevice] = []
    public var sites: [String: SiteSettings] = [:]
    /// `[schedules.NAME]`: weekly opening hours that sites name (SPEC §10).
    public var schedules: [String: ScheduleSettings] = [:]
    /// `[[notify]]` channels, in file order (SPEC §14).
    public var notify: [NotifyChannel] = []

    public init() {}
}

public struct MQTTSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 1883
    public var clientID = "fleetwatchd"
    public var topicPrefix = "library"
    public var username = ""
    public var passwordFile = ""
    public var tlsCAFile = ""
    public var tlsCertFile = ""
    public var tlsKeyFile = ""
    public var keepaliveSeconds = 30
    public var maxPayloadBytes = 8192
    public init() {}
}

public struct StorageSettings: Sendable, Equatable {
    public enum AlertLogFormat: String, Sendable, Equatable { case text, json }
    public var database = "/var/lib/fleetwatch/fleetwatch.db"
    public var alertLog = "/var/log/fleetwatch/alerts.log"
    public var alertLogFormat = AlertLogFormat.text
    /// SQLite (`database`) or PostgreSQL (`postgresURL`; `database` is then unused), SPEC §15.
    public var backend = StorageBackend.sqlite
    /// A `postgresql://` URI; a password may be in it, in `~/.pgpass`/`PGPASSFILE`, or in
    /// `postgresPasswordFile`. Never logged.
    public var postgresURL = ""
    public var postgresPasswordFile = ""
    /// Metric history is kept this many days (hourly rollups); 0 turns history off (issue 15).
    public var historyDays = 400
    /// At least one sample per device per this many seconds.
    public var historyIntervalSeconds = 60.0
    /// Raw samples are kept this many days (at most `historyDays`); older ones only as hourly rollups.
    public var historyRawDays = 7
    public init() {}

    public var historyEnabled: Bool { historyDays > 0 }
    /// How long raw samples stay, in seconds.
    public var historyRawSeconds: Double { Double(min(historyRawDays, historyDays)) * 86400 }
}

public struct ControlSettings: Sendable, Equatable {
    public var socket = "/run/fleetwatch/control.sock"
    public init() {}
}

public struct MetricsSettings: Sendable, Equatable {
    public var listen = "127.0.0.1:9731"
    /// A file holding the bearer token every path but `/healthz` needs; "" = no token (SPEC §16).
    public var bearerTokenFile = ""
    public init() {}
}

public struct DetectionSettings: Sendable, Equatable {
    public var startupGraceSeconds = 60.0
    public var resolveAfterSeconds = 30.0
    public var brokerDownP1AfterSeconds = 300.0
    public var flapWindowSeconds = 600.0
    public var flapChanges = 6
    public var maxDevices = 100_000
    public var maxClockSkewSeconds = 120.0
    /// Auto-registered devices not heard for this long are forgotten (issue 11): a flood of
    /// made-up ids cannot keep `max_devices` full for good.
    public var forgetAfterSeconds = 604_800.0
    /// Link quality (SPEC §11): counters follow about this many seconds of heartbeats.
    public var qualityWindowSeconds = 3600.0
    public var maxLossRatio = 0.2
    /// `data-loss` and `reboot-loop` decide only with at least this many heartbeats expected.
    public var minExpected = 20
    public var rebootLimit = 3
    public init() {}
}

public struct EscalationSettings: Sendable, Equatable {
    public var siteOfflineRatio = 0.5
    public var fleetOfflineRatio = 0.5
    public var repeatFailures = 3
    public var repeatWindowSeconds = 86400.0
    public var groupWaitSeconds = 10.0
    public init() {}
}

public struct SLASettings: Sendable, Equatable {
    public var timezone = "Asia/Shanghai"
    public var serviceDays: [Weekday] = Weekday.allCases
    public var serviceHours: [ServiceRange] = [
        ServiceRange(startMinute: 9 * 60, endMinute: 12 * 60),
        ServiceRange(startMinute: 13 * 60, endMinute: 22 * 60),
    ]
    /// Local dates (YYYY-MM-DD) with no service time at all.
    public var holidays: [String] = []
    public var respondWithinSeconds = 7200.0
    public var p1OnsiteWithinSeconds = 14400.0
    public var p2OnsiteWithinSeconds = 86400.0
    /// Wall-clock time from opening to `resolve_by` (the repair clock); 0 turns it off.
    public var resolveWithinSeconds = 259_200.0
    /// Wall-clock time from opening to `plan_by`, for incidents marked as needing a major part.
    public var planWithinSeconds = 172_800.0
    /// SLA-WARNING this long before a deadline (service time for the clocks counted in service
    /// time, wall-clock time for the others); 0 turns warnings off (SPEC §14).
    public var warnBeforeSeconds = 1800.0
    public init() {}
}

public enum Weekday: String, Sendable, Equatable, CaseIterable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Foundation's numbering: 1 = Sunday … 7 = Saturday.
    public var gregorianNumber: Int {
        switch self {
        case .sun: 1
        case .mon: 2
        case .tue: 3
        case .wed: 4
        case .thu: 5
        case .fri: 6
        case .sat: 7
        }
    }
}

/// One daily service range in minutes after local midnight; `endMinute` may be 1440 (24:00).
public struct ServiceRange: Sendable, Equatable {
    public var startMinute: Int
    public var endMinute: Int
    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }
}

public struct SiteSettings: Sendable, Equatable {
    public var name: String?
    /// The `[schedules.NAME]` giving the site's opening hours; nil: always open.
    public var schedule: String?
    public init(name: String? = nil, schedule: String? = nil) {
        self.name = name
        self.schedule = schedule
    }
}

public struct InventoryDevice: Sendable, Equatable {
    public var id: String
    public var site: String
    public var kind: String
    public var name: String?
    public init(id: String, site: String, kind: String, name: String? = nil) {
        self.id = id
        self.site = site
        self.kind = kind
        self.name = name
    }
}
