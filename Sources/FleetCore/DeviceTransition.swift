/// A device moved from one state to another; `record` is the device after the move.
struct DeviceTransition {
    var slot: DeviceSlot
    var from: DeviceState
    var record: DeviceRecord

    var to: DeviceState { record.state }

    /// Changes that count toward flapping: not the first time a device is heard, not entering
    /// or leaving maintenance (that is an operator's doing, not the device's), and not falling
    /// asleep or waking (the site's hours, not a fault).
    var countsTowardFlapping: Bool {
        from != .unknown && from != .maintenance && to != .maintenance && from != .sleeping && to != .sleeping
    }

    /// Whether the device joined or left the offline devices the outage rules count.
    var changesOffline: Bool { (from == .offline) != (to == .offline) }
}
