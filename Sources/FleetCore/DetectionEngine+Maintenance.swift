/// Maintenance windows: covered devices show `maintenance` and open no incidents; when a window
/// ends they resume detection with a fresh grace period.
extension DetectionEngine {
    public mutating func addMaintenance(_ window: MaintenanceWindow, at now: Moment) -> Result<(MaintenanceWindow, [EngineEffect]), OperatorError> {
        if let id = window.device, index(ofDevice: id) == nil {
            return .failure(OperatorError("no device \(id) (see fleetwatch devices)"))
        }
        if let site = window.site, siteCounts[site] == nil, !devices.contains(where: { $0.record.site == site }) {
            return .failure(OperatorError("no site \(site) (see fleetwatch status)"))
        }
        guard window.until > window.from, window.until > now.wall else {
            return .failure(OperatorError("the window must end after it starts and after now"))
        }
        var stored = window
        stored.id = nextMaintenanceID
        nextMaintenanceID += 1
        maintenance.append(stored)
        effects.append(.saveMaintenance(stored))
        applyMaintenance(at: now)
        return .success((stored, takeEffects()))
    }

    public mutating func removeMaintenance(_ id: Int64, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        guard let index = maintenance.firstIndex(where: { $0.id == id }) else {
            return .failure(OperatorError("no current maintenance window \(MaintenanceWindow.label(id)) (see fleetwatch maintenance list)"))
        }
        var removed = maintenance.remove(at: index)
        removed.removedAt = now.wall
        effects.append(.saveMaintenance(removed))
        applyMaintenance(at: now)
        return .success(takeEffects())
    }

    /// Moves devices in and out of `maintenance` as windows start and end (called about once a
    /// second and on every change of the windows).
    mutating func applyMaintenance(at now: Moment) {
        maintenance.removeAll { $0.until <= now.wall }
        var covered: Set<Int32> = []
        for window in maintenance where window.isActive(at: now.wall) {
            if let id = window.device {
                if let index = index(ofDevice: id) { covered.insert(index) }
            } else if let site = window.site {
                for (i, d) in devices.enumerated() where d.record.site == site { covered.insert(Int32(i)) }
            }
        }
        for index in covered.subtracting(inMaintenance) {
            offlineStatuses[index] = nil
            setState(index, .maintenance, at: now)
        }
        for index in inMaintenance.subtracting(covered) { leaveMaintenance(index, at: now) }
        inMaintenance = covered
    }

    private mutating func leaveMaintenance(_ index: Int32, at now: Moment) {
        let i = Int(index)
        let heard = devices[i].lastSeenMonotonic.map { now.monotonic - $0 < devices[i].timeout } ?? false
        devices[i].health = .ok
        devices[i].ruleStates = []
        devices[i].offlineNotBefore = now.monotonic + configuration.detection.startupGraceSeconds
        setState(index, heard ? .online : .unknown, at: now)
        if !devices[i].armed {
            deadlines.push(devices[i].offlineNotBefore, index)
            devices[i].armed = true
        }
    }
}
