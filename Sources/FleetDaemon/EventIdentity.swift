import FleetCore

/// Identifies an event before it has a sequence number: same incident, kind and time.
struct EventIdentity: Hashable {
    let incident: Int64
    let kind: AlertEvent.Kind
    let time: Double

    init(_ event: AlertEvent) {
        incident = event.incidentID
        kind = event.kind
        time = event.time
    }
}
