/// What a standby learned from the heartbeats while another node was active (SPEC §15): when
/// each device was last heard and at what interval, and the collector's view of the broker.
/// The engine a takeover restores from the database adopts it (`DetectionEngine.adopt`), so no
/// device waits out a grace period the standby has already watched it through: no grace storm,
/// and a device that fell silent meanwhile goes offline on its own deadline.
///
/// Incidents, states and ids are not in it: those come from the database, never from the
/// standby's memory, so nothing the old active committed is duplicated or lost.
public struct WarmStart: Sendable {
    struct Device: Sendable {
        var record: DeviceRecord
        var lastSeenMonotonic: Double?
        var intervalOverride: Double?
    }

    var devices: [Device]
    var collector: CollectorWatch

    /// Devices the standby has heard.
    public var heardCount: Int { devices.reduce(0) { $0 + ($1.lastSeenMonotonic == nil ? 0 : 1) } }
}
