/// Taking over from another node (SPEC §15): the standby's engine hands over what it observed
/// (`warmStart`), and an engine restored from the database adopts it (`adopt`).
extension DetectionEngine {
    /// The standby's side: every device's liveness and the broker connection as seen here.
    public func warmStart() -> WarmStart {
        WarmStart(
            devices: registry.devices.indices.compactMap {
                let device = registry.devices[$0]
                guard !device.forgotten else { return nil }
                return WarmStart.Device(
                    record: registry.record(DeviceSlot($0)), lastSeenMonotonic: device.lastSeenMonotonic,
                    intervalOverride: device.intervalOverride)
            },
            collector: collector)
    }

    /// The new active's side, right after `init(configuration:restored:at:)` from the database:
    /// the broker view and grace end of the standby (no new grace period: it has been watching),
    /// each device's last heartbeat and interval, and the devices only the standby had registered
    /// (saved now as `unknown`; heard, they become `online` as usual). States, incidents and ids
    /// stay as the database has them; a device the database thinks online that the standby has
    /// not heard for its timeout goes offline at the next tick, with an id from the database.
    public mutating func adopt(_ warm: WarmStart, at now: Moment) -> [EngineEffect] {
        collector = warm.collector
        collector.storage(failing: false)
        var effects: [EngineEffect] = []
        for device in warm.devices {
            let slot: DeviceSlot
            if let known = registry.slot(of: device.record.id) {
                slot = known
            } else {
                guard device.lastSeenMonotonic != nil, registry.count < configuration.detection.maxDevices else {
                    continue
                }
                var record = device.record
                record.state = .unknown
                record.stateSince = now.wall
                slot = insert(record)
                effects.append(.saveDevice(record))
            }
            if let seen = device.lastSeenMonotonic {
                registry.warm(slot, heardAt: seen, wall: device.record.lastSeen, interval: device.intervalOverride)
            }
        }
        return effects
    }
}
