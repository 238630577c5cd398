import FleetCore

/// One event as a channel tells it: the committed alert event with what a reader needs beside
/// it (the incident's deadlines, display names) and its notification id. Built by the notifier
/// from the database; rendered by `NotificationBody` and `AlertmanagerBody`.
struct NotifyMessage: Sendable, Equatable {
    /// `fw-INSTANCE-SEQ`: the database's instance id and the event's committed sequence, so the
    /// same event has the same id on every retry and after every restart, and two databases
    /// never share one. Sent as the body's `id` and the `Idempotency-Key` header.
    var id: String
    /// `OPEN`, `RESOLVE`, … or `TEST` (`fleetwatch notify test`).
    var event: String
    var time: Double
    var priority: Priority
    var incidentID: Int64?
    var rule: String?
    var site: String?
    var kind: String?
    var device: String?
    var respondBy: Double?
    var onsiteBy: Double?
    var msg: String?
    /// The event's fields beyond the ones above (`sla`, `due`, `by`, `occurrences`, …), in order.
    var extra: [AlertEvent.Field]
    var siteName: String?
    var deviceName: String?
    var summary: String?

    static func id(instance: String, sequence: Int64) -> String { "fw-\(instance)-\(sequence)" }

    /// Keys the body carries from the incident or at fixed places, not again from the event.
    private static let placed: Set<String> = ["rule", "site", "kind", "device", "msg", "respond_by", "onsite_by"]

    init(_ event: AlertEvent, instance: String, incident: Incident?, siteName: String?, deviceName: String?) {
        id = Self.id(instance: instance, sequence: event.sequence)
        self.event = event.kind.rawValue
        time = event.time
        priority = event.priority
        incidentID = event.incidentID
        rule = event.field("rule")
        site = event.field("site")
        kind = event.field("kind")
        device = event.field("device")
        respondBy = incident?.respondBy
        onsiteBy = incident?.onsiteBy
        msg = event.field("msg")
        extra = event.fields.filter { !Self.placed.contains($0.key) }
        self.siteName = siteName
        self.deviceName = deviceName
        summary = incident?.summary
    }

    /// The `TEST` event of `fleetwatch notify test NAME`: no incident, an id of its own.
    static func test(channel: String, instance: String, at time: Double, host: String) -> NotifyMessage {
        NotifyMessage(
            id: "fw-\(instance)-test-\(Int64(time * 1000))", event: "TEST", time: time, priority: .p2,
            incidentID: nil, rule: "test", site: nil, kind: nil, device: nil, respondBy: nil, onsiteBy: nil,
            msg: "test notification from fleetwatchd on \(host) for channel \(channel)", extra: [],
            siteName: nil, deviceName: nil, summary: nil)
    }

    private init(
        id: String, event: String, time: Double, priority: Priority, incidentID: Int64?, rule: String?,
        site: String?, kind: String?, device: String?, respondBy: Double?, onsiteBy: Double?, msg: String?,
        extra: [AlertEvent.Field], siteName: String?, deviceName: String?, summary: String?
    ) {
        self.id = id
        self.event = event
        self.time = time
        self.priority = priority
        self.incidentID = incidentID
        self.rule = rule
        self.site = site
        self.kind = kind
        self.device = device
        self.respondBy = respondBy
        self.onsiteBy = onsiteBy
        self.msg = msg
        self.extra = extra
        self.siteName = siteName
        self.deviceName = deviceName
        self.summary = summary
    }

    var incidentLabel: String? { incidentID.map(Incident.label) }
}
