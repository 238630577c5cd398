import FleetCore

/// How one problem was handled, from its incident row and its events: who acknowledged,
/// dispatched, arrived and resolved it, when, what they wrote, and which devices it took in.
public struct HandlingRecord: Sendable {
    public struct Note: Sendable, Equatable {
        public let time: Double
        public let by: String
        public let text: String
    }

    public let incident: Incident
    public let acknowledgedBy: String?
    public let dispatchedBy: String?
    public let arrivedBy: String?
    /// `auto` when the condition cleared by itself.
    public let resolvedBy: String?
    /// Who marked it as needing a major part, and who recorded the plan (the repair clock).
    public let partsBy: String?
    public let plannedBy: String?
    public let notes: [Note]
    /// Devices of the incidents it took in (an outage's children).
    public let childDevices: [String]
    public let outcomes: [SLAClock: SLAOutcome]
    /// Marked flapping at some moment.
    public let flapped: Bool

    init(_ incident: Incident, events: [AlertEvent], children: [Incident]) {
        self.incident = incident
        var ack: String?
        var dispatch: String?
        var arrive: String?
        var resolve: String?
        var parts: String?
        var plan: String?
        var notes: [Note] = []
        var flapped = incident.flapping
        for e in events {
            let by = e.field("by") ?? ""
            switch e.kind {
            case .ack:
                ack = by
                if let note = e.field("note"), !note.isEmpty { notes.append(Note(time: e.time, by: by, text: note)) }
            case .dispatch:
                dispatch = by
                if ack == nil { ack = by }  // sending someone is also the answer
            case .arrive: arrive = by
            case .note: notes.append(Note(time: e.time, by: by, text: e.field("msg") ?? ""))
            case .resolve:
                resolve = by
                if by != "auto", let message = e.field("msg"), !message.isEmpty, message != "resolved by operator" {
                    notes.append(Note(time: e.time, by: by, text: message))
                }
            case .parts:
                parts = by
                if let note = e.field("note"), !note.isEmpty { notes.append(Note(time: e.time, by: by, text: note)) }
            case .plan:
                if plan == nil { plan = by }
                notes.append(Note(time: e.time, by: by, text: e.field("msg") ?? ""))
            case .flapping: flapped = true
            default: break
            }
        }
        acknowledgedBy = ack
        dispatchedBy = dispatch
        arrivedBy = arrive
        partsBy = parts
        plannedBy = plan
        resolvedBy = resolve ?? (incident.resolvedAt != nil && !incident.announced ? "auto" : nil)
        self.notes = notes
        self.flapped = flapped
        childDevices = children.compactMap(\.device).sorted()
        var outcomes: [SLAClock: SLAOutcome] = [:]
        for clock in SLAClock.allCases {
            if let outcome = SLAOutcome.of(clock, incident, events: events) { outcomes[clock] = outcome }
        }
        self.outcomes = outcomes
    }
}
