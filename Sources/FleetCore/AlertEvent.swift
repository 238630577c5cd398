/// One line of the alert log and one row of an incident's timeline.
public struct AlertEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case open = "OPEN"
        case escalate = "ESCALATE"
        case update = "UPDATE"
        case flapping = "FLAPPING"
        case ack = "ACK"
        case dispatch = "DISPATCH"
        case arrive = "ARRIVE"
        case note = "NOTE"
        case resolve = "RESOLVE"
        case slaBreach = "SLA-BREACH"
        case parts = "PARTS"
        case plan = "PLAN"
        case slaWarning = "SLA-WARNING"
    }

    /// Assigned by the store when committed; 0 before.
    public var sequence: Int64
    public var time: Double
    public var kind: Kind
    public var priority: Priority
    public var incidentID: Int64
    /// `key=value` pairs in the order they are printed (after the four fixed columns).
    public var fields: [Field]

    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(
        sequence: Int64 = 0, time: Double, kind: Kind, priority: Priority, incidentID: Int64,
        fields: [Field]
    ) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.priority = priority
        self.incidentID = incidentID
        self.fields = fields
    }

    public func field(_ key: String) -> String? { fields.first { $0.key == key }?.value }
}
