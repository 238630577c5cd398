/// The settings the incident book works by: how long announcements wait, when a clear condition
/// resolves, what counts as repeated failure, and how the FLAPPING line words itself.
struct IncidentPolicy {
    var groupWaitSeconds: Double
    var resolveAfterSeconds: Double
    var repeatFailures: Int
    var repeatWindowSeconds: Double
    var flapChanges: Int
    var flapWindowSeconds: Double

    init(_ configuration: Configuration) {
        groupWaitSeconds = configuration.escalation.groupWaitSeconds
        resolveAfterSeconds = configuration.detection.resolveAfterSeconds
        repeatFailures = configuration.escalation.repeatFailures
        repeatWindowSeconds = configuration.escalation.repeatWindowSeconds
        flapChanges = configuration.detection.flapChanges
        flapWindowSeconds = configuration.detection.flapWindowSeconds
    }
}
