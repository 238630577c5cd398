/// The earliest SLA deadline an open incident can still miss (wall seconds), in `OpenIncidents`'
/// breach heap. Lazy: the incident's state when it is popped decides (`SLAClocks.breaches`).
struct IncidentDeadline: TimedEntry {
    var due: Double
    var incident: Int64

    var time: Double { due }
}
