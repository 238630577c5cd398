/// Maintenance windows and the devices they cover now. Covered devices show `maintenance` and
/// open no incidents; when a window ends they resume detection with a fresh grace period.
struct MaintenanceCalendar {
    private(set) var windows: [MaintenanceWindow]
    /// Devices in `maintenance` now.
    private(set) var covered: Set<DeviceSlot>
    private var nextID: Int64
    /// Recurring windows recur in local time (`sla.timezone`).
    private var clock: LocalClock

    init(windows: [MaintenanceWindow], nextID: Int64, clock: LocalClock = LocalClock(zone: .gmt)) {
        self.windows = windows
        self.nextID = nextID
        self.clock = clock
        covered = []
    }

    /// A reload: `sla.timezone` may have changed.
    mutating func configure(clock: LocalClock) { self.clock = clock }

    /// A device restored in state `maintenance` is covered until the next pass says otherwise.
    mutating func restoreCovered(_ slot: DeviceSlot) { covered.insert(slot) }

    /// Stores a new window (the caller checked that its device or site exists).
    mutating func add(_ window: MaintenanceWindow, at now: Moment) -> Result<MaintenanceWindow, OperatorError> {
        // A recurring window may run without an end (`noEnd`); every other time is bounded.
        let horizon = MaintenanceWindow.maxHorizonSeconds
        let endless = window.every != nil && window.until == MaintenanceWindow.noEnd
        guard window.from.isFinite, window.until.isFinite, window.from >= now.wall - horizon,
            window.from <= now.wall + horizon, endless || window.until <= now.wall + horizon
        else {
            return .failure(OperatorError("a maintenance window must start and end within 10 years of now"))
        }
        guard window.until > window.from, window.until > now.wall else {
            return .failure(OperatorError("the window must end after it starts and after now"))
        }
        if let every = window.every, window.nextStart(after: now.wall, clock: clock) == nil {
            return .failure(OperatorError("\"\(every.text)\" does not occur before the window ends (--until)"))
        }
        var stored = window
        stored.id = nextID
        nextID += 1
        windows.append(stored)
        return .success(stored)
    }

    /// Ends a window early; returns it as removed.
    mutating func remove(_ id: Int64, at now: Moment) -> Result<MaintenanceWindow, OperatorError> {
        guard let index = windows.firstIndex(where: { $0.id == id }) else {
            return .failure(
                OperatorError(
                    "no current maintenance window \(MaintenanceWindow.label(id)) (see fleetwatch maintenance list)"))
        }
        var removed = windows.remove(at: index)
        removed.removedAt = now.wall
        return .success(removed)
    }

    /// Which devices enter and leave maintenance now, as windows start and end.
    mutating func changes(
        at now: Moment, in registry: DeviceRegistry
    ) -> (entering: [DeviceSlot], leaving: [DeviceSlot]) {
        windows.removeAll { $0.until <= now.wall }
        var coveredNow: Set<DeviceSlot> = []
        for window in windows where window.isActive(at: now.wall, clock: clock) {
            if let id = window.device {
                if let slot = registry.slot(of: id) { coveredNow.insert(slot) }
            } else if let site = window.site {
                coveredNow.formUnion(registry.slots(atSite: site))
            }
        }
        let entering = Array(coveredNow.subtracting(covered)).sorted()
        let leaving = Array(covered.subtracting(coveredNow)).sorted()
        covered = coveredNow
        return (entering, leaving)
    }
}
