/// Operator requests, routed to the part that owns what they change: incidents to the book,
/// maintenance windows to the calendar.
extension DetectionEngine {
    public mutating func acknowledge(
        _ id: Int64, by: String, note: String?, at now: Moment
    )
        -> Result<[EngineEffect], OperatorError>
    {
        incidents.acknowledge(id, by: by, note: note, at: now)
    }

    public mutating func dispatch(_ id: Int64, by: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        incidents.dispatch(id, by: by, at: now)
    }

    public mutating func arrive(_ id: Int64, by: String, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        incidents.arrive(id, by: by, at: now)
    }

    public mutating func markParts(
        _ id: Int64, by: String, note: String?, at now: Moment
    )
        -> Result<[EngineEffect], OperatorError>
    {
        incidents.markParts(id, by: by, note: note, at: now)
    }

    public mutating func recordPlan(
        _ id: Int64, by: String, text: String, at now: Moment
    )
        -> Result<[EngineEffect], OperatorError>
    {
        incidents.recordPlan(id, by: by, text: text, at: now)
    }

    public mutating func note(
        _ id: Int64, by: String, text: String, at now: Moment
    ) -> Result<[EngineEffect], OperatorError> {
        incidents.note(id, by: by, text: text, at: now)
    }

    /// Resolves an incident (and its children) by hand. A condition that still holds opens a new
    /// incident through the usual wait: outages first, so devices still down are grouped under the
    /// new outage and the operator sees one new line, not one per device.
    public mutating func resolveByOperator(
        _ id: Int64, by: String, note: String?, at now: Moment
    )
        -> Result<[EngineEffect], OperatorError>
    {
        switch incidents.resolveByOperator(id, by: by, note: note, at: now) {
        case .failure(let error):
            return .failure(error)
        case .success(let (effects, resolved)):
            var all = effects
            let widestFirst = resolved.sorted { $0.scope.width > $1.scope.width }
            for incident in widestFirst {
                guard let problem = problemStillHolding(incident, resolvedBy: by, at: now) else { continue }
                all += raise(problem, countsAsFailure: false, at: now)
            }
            return .success(all)
        }
    }

    public mutating func addMaintenance(
        _ window: MaintenanceWindow, at now: Moment
    )
        -> Result<(MaintenanceWindow, [EngineEffect]), OperatorError>
    {
        if let id = window.device, registry.slot(of: id) == nil {
            return .failure(OperatorError("no device \(id) (see fleetwatch devices)"))
        }
        if let site = window.site, !registry.hasDevices(atSite: site) {
            return .failure(OperatorError("no site \(site) (see fleetwatch status)"))
        }
        return maintenance.add(window, at: now).map { stored in
            (stored, [.saveMaintenance(stored)] + applyMaintenance(at: now))
        }
    }

    public mutating func removeMaintenance(_ id: Int64, at now: Moment) -> Result<[EngineEffect], OperatorError> {
        maintenance.remove(id, at: now).map { removed in [.saveMaintenance(removed)] + applyMaintenance(at: now) }
    }

    /// Moves devices in and out of `maintenance` as windows start and end (about once a second
    /// and on every change of the windows). Leaving, a device starts over with a grace period.
    mutating func applyMaintenance(at now: Moment) -> [EngineEffect] {
        let (entering, leaving) = maintenance.changes(at: now, in: registry)
        var effects: [EngineEffect] = []
        for slot in entering {
            registry.forgetStatus(slot)
            effects += setState(slot, .maintenance, at: now)
        }
        for slot in leaving {
            rules.reset(slot, kind: registry.kindName(slot))
            forecaster.forgetFiring(slot)
            let graceUntil = now.monotonic + configuration.detection.startupGraceSeconds
            if let transition = registry.leaveMaintenance(slot, graceUntil: graceUntil, at: now) {
                effects += apply(transition, at: now)
            }
        }
        return effects
    }
}
