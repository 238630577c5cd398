import FleetCore

/// Identifies an event before it has a sequence number: same incident, kind and time.
struct EventIdentity: Hashable {
    let incident: Int64
    let kind: String
    let time: Double

    init(_ event: AlertEvent) {
        incident = event.incidentID
        kind = event.kind.rawValue
        time = event.time
    }
}
