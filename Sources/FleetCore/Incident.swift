public enum IncidentStatus: String, Sendable, Equatable, CaseIterable {
    case open, acknowledged, resolved
}

/// What an incident is about: one device, a site, a site's devices of one kind, the fleet, or the
/// daemon itself (`collector`).
public enum IncidentScope: String, Sendable, Equatable {
    case device, site, kind, fleet, collector

    /// How much an incident of this scope covers: the fleet takes in sites, a site its core kinds,
    /// a kind its devices.
    var width: Int {
        switch self {
        case .device, .collector: 0
        case .kind: 1
        case .site: 2
        case .fleet: 3
        }
    }
}

public struct Incident: Sendable, Equatable {
    public var id: Int64
    public var priority: Priority
    public var status: IncidentStatus
    public var rule: RuleID
    public var scope: IncidentScope
    public var site: String?
    public var kind: String?
    public var device: String?
    public var parent: Int64?
    public var flapping: Bool
    public var occurrences: Int
    public var openedAt: Double
    public var acknowledgedAt: Double?
    public var resolvedAt: Double?
    public var respondBy: Double?
    public var onsiteBy: Double?
    public var summary: String
    public var lastSeenAt: Double
    /// The rule whose condition keeps this incident open. Usually `rule`; differs when the
    /// incident opened as `repeated-failure` (condition `offline`, say).
    public var condition: RuleID
    /// Its OPEN line has been written. Device and site incidents wait `group_wait_s` first and
    /// are never announced alone if a wider incident takes them in meanwhile.
    public var announced: Bool
    public var dispatchedAt: Double?
    public var arrivedAt: Double?
    /// When it became a child of its current `parent` (shown in its timeline).
    public var groupedAt: Double?
    /// An SLA-BREACH line was written for `respond_by` / `onsite_by` (once per deadline).
    public var respondBreached = false
    /// For outages: how many devices it affects, kept current while it is open (with `summary`).
    public var extent: Int?
    /// The repair clock: resolved by then (wall clock from opening), unless a major part is needed.
    public var resolveBy: Double?
    /// Marked as needing a major part (`fleetwatch parts`): the repair clock stopped, a plan is
    /// due by `planBy`, and recorded at `plannedAt`.
    public var partsAt: Double?
    public var planBy: Double?
    public var plannedAt: Double?
    /// An SLA-BREACH line was written for `resolve_by` / `plan_by` (once per deadline).
    public var resolveBreached = false
    public var planBreached = false
    public var onsiteBreached = false
    /// For `error`: its error code; its lines carry `code=` (one incident per device and code).
    public var code: String?
    /// For `fault`/`degraded`: the device's active error codes, kept current while it is open
    /// (`errors=` on its OPEN and UPDATE lines).
    public var errors: [String] = []
    /// An SLA-WARNING line was written for `respond_by` / `onsite_by` (once per deadline).
    public var respondWarned = false
    public var onsiteWarned = false
    /// … and for `resolve_by` / `plan_by` (the repair clock).
    public var resolveWarned = false
    public var planWarned = false
    /// For forecasts: the predicted time the metric reaches its level (Unix seconds), kept current.
    public var eta: Double?

    public init(
        id: Int64, priority: Priority, status: IncidentStatus = .open, rule: RuleID, scope: IncidentScope,
        site: String? = nil, kind: String? = nil, device: String? = nil, parent: Int64? = nil,
        flapping: Bool = false, occurrences: Int = 1, openedAt: Double, acknowledgedAt: Double? = nil,
        resolvedAt: Double? = nil, respondBy: Double? = nil, onsiteBy: Double? = nil, summary: String,
        lastSeenAt: Double? = nil, condition: RuleID? = nil, announced: Bool = false
    ) {
        self.id = id
        self.priority = priority
        self.status = status
        self.rule = rule
        self.scope = scope
        self.site = site
        self.kind = kind
        self.device = device
        self.parent = parent
        self.flapping = flapping
        self.occurrences = occurrences
        self.openedAt = openedAt
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
        self.respondBy = respondBy
        self.onsiteBy = onsiteBy
        self.summary = summary
        self.lastSeenAt = lastSeenAt ?? openedAt
        self.condition = condition ?? rule
        self.announced = announced
    }

    public var key: IncidentKey {
        IncidentKey(rule: condition, scope: scope, site: site, kind: kind, device: device, code: code)
    }

    /// `INC-000123`: ids are numbers, never reused; the text form is what operators type.
    public static func label(_ id: Int64) -> String {
        let digits = String(id)
        return "INC-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public static func parseLabel(_ text: String) -> Int64? {
        let upper = text.uppercased()
        let digits = upper.hasPrefix("INC-") ? String(upper.dropFirst(4)) : upper
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(digits), id > 0 else {
            return nil
        }
        return id
    }
}

extension Incident {
    /// Site-, core- and fleet-level incidents: the ones that take narrower incidents in as children.
    public var isOutage: Bool { scope == .site || scope == .kind || scope == .fleet }
}
