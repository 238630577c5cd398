extension DetectionEngine {
    /// Counts a state change; `flap_changes` of them inside `flap_window_s` make the device
    /// flapping: its incident stays open, marked, with one FLAPPING line, and no churn.
    mutating func recordStateChange(_ index: Int32, at now: Moment) {
        let i = Int(index)
        let limit = configuration.detection.flapChanges
        devices[i].stateChanges.append(now.monotonic)
        if devices[i].stateChanges.count > limit { devices[i].stateChanges.removeFirst(devices[i].stateChanges.count - limit) }
        guard !devices[i].flapping, devices[i].stateChanges.count >= limit,
              now.monotonic - devices[i].stateChanges[0] <= configuration.detection.flapWindowSeconds else { return }
        devices[i].flapping = true
        flappingDevices.insert(index)
        let id = devices[i].record.id
        for (key, incident) in unresolved where incident.scope == .device && incident.device == id && !incident.flapping {
            var marked = incident
            marked.flapping = true
            unresolved[key] = marked
            effects.append(.saveIncident(marked))
            if marked.announced { announceFlapping(key, at: now) }
        }
    }

    mutating func announceFlapping(_ key: IncidentKey, at now: Moment) {
        guard let incident = unresolved[key] else { return }
        let detection = configuration.detection
        effects.append(.announce(event(.flapping, incident, at: now, extra: [
            .init("msg", "\(detection.flapChanges) state changes within \(Self.seconds(detection.flapWindowSeconds))"),
        ])))
    }

    /// A device stable for a whole `flap_window_s` stops flapping; its incident then resolves
    /// normally if its condition is clear.
    mutating func endStableFlapping(at now: Moment) {
        guard !flappingDevices.isEmpty else { return }
        let window = configuration.detection.flapWindowSeconds
        for index in flappingDevices {
            let i = Int(index)
            guard let last = devices[i].stateChanges.last, now.monotonic - last >= window else { continue }
            devices[i].flapping = false
            devices[i].stateChanges.removeAll()
            flappingDevices.remove(index)
            let id = devices[i].record.id
            for (key, incident) in unresolved where incident.scope == .device && incident.device == id && incident.flapping {
                var calm = incident
                calm.flapping = false
                unresolved[key] = calm
                effects.append(.saveIncident(calm))
            }
        }
    }

    /// Records a device failure (an incident opening or relapsing); true when it is the
    /// `repeat_failures`-th inside `repeat_window_s`.
    mutating func recordFailure(_ index: Int32, at now: Moment) -> Bool {
        let i = Int(index)
        let window = configuration.escalation.repeatWindowSeconds
        devices[i].failures.removeAll { now.wall - $0 > window }
        devices[i].failures.append(now.wall)
        return devices[i].failures.count >= configuration.escalation.repeatFailures
    }
}
