/// The health state machine of the whole fleet. It is fed events with the moment they happened
/// (heartbeats, status messages, broker connection changes, clock ticks, operator requests) and
/// returns effects; it never reads a clock, sleeps, logs or touches storage, so tests drive it
/// with made-up times.
///
/// It owns no rule itself: it routes each input through the parts that own the state, in the
/// order of the data path (registry → link quality → health, error codes and metric rules →
/// incidents → outages), and returns what they decided.
public struct DetectionEngine {
    public static var stallThreshold: Double { CollectorWatch.stallThreshold }
    public static var statusConfirmDelay: Double { DeviceRegistry.statusConfirmDelay }

    public internal(set) var configuration: Configuration
    /// Rebuilt on reload; the daemon hands the same value to the alert log.
    public internal(set) var localTime: LocalTime
    var registry: DeviceRegistry
    var incidents: IncidentBook
    var rollup: OutageRollup
    var maintenance: MaintenanceCalendar
    var flaps: FlapDetector
    var rules: MetricRuleEvaluator
    var forecaster: Forecaster
    var history: HistorySampler
    var collector: CollectorWatch
    var hours: OpeningHours
    /// Link quality, error codes, last metric values and the broker's counters (issue 13).
    var quality: DataQuality
    /// Monotonic time of the last once-a-second pass (SLA deadlines, maintenance windows).
    var lastSlowTick = -Double.infinity
    /// What starting produced (inventory registration, restored incidents reconciled), taken once
    /// by `takeStartupEffects()`: an initializer cannot return effects.
    private var startupEffects: [EngineEffect] = []

    public init(configuration: Configuration, restored: RestoredState = RestoredState(), at now: Moment) {
        self.configuration = configuration
        let localTime = LocalTime(configuration.sla)
        self.localTime = localTime
        registry = DeviceRegistry(kinds: configuration.kinds, maxDevices: configuration.detection.maxDevices)
        rollup = OutageRollup(configuration)
        rules = MetricRuleEvaluator(kinds: configuration.kinds)
        forecaster = Forecaster(
            kinds: configuration.kinds,
            refreshSeconds: configuration.storage.historyIntervalSeconds, at: now)
        history = HistorySampler(storage: configuration.storage, at: now)
        flaps = FlapDetector(configuration.detection)
        collector = CollectorWatch(configuration.detection, startedAt: now)
        quality = DataQuality(configuration, at: now)
        incidents = IncidentBook(
            restored: restored, policy: IncidentPolicy(configuration),
            clocks: SLAClocks(configuration.sla, localTime: localTime), at: now)
        maintenance = MaintenanceCalendar(
            windows: restored.maintenance, nextID: restored.nextMaintenanceID,
            clock: localTime.clock)
        hours = OpeningHours(configuration, clock: localTime.clock, at: now.wall)
        for record in restored.devices {
            let slot = insert(record)
            if record.state == .maintenance { maintenance.restoreCovered(slot) }
        }
        startupEffects = applyInventory(at: now) + reconcileRestoredIncidents(at: now) + settleAfterRestart(at: now)
    }

    /// Effects produced while starting up (inventory registration, restored incidents).
    public mutating func takeStartupEffects() -> [EngineEffect] {
        defer { startupEffects = [] }
        return startupEffects
    }

    // MARK: broker and clock

    /// Subscribed again: everyone gets `startup_grace_s` before a timeout can count.
    public mutating func brokerDidConnect(at now: Moment) -> [EngineEffect] {
        collector.brokerConnected(at: now)
        registry.reconsiderOfflineStatuses(
            unprovenBefore: collector.seeingSince, graceEnd: collector.graceEnd,
            graceSeconds: collector.graceSecondsSetting, at: now)
        incidents.clear(IncidentKey(rule: .brokerUnreachable, scope: .collector), at: now)
        quality.brokerDelivers()
        return []
    }

    /// Blind from now on: nobody goes offline by timeout until reconnect plus grace, and offline
    /// statuses not yet confirmed may have been the broker's shutdown.
    public mutating func brokerDidDisconnect(at now: Moment) -> [EngineEffect] {
        collector.brokerDisconnected(at: now)
        registry.forgetUnconfirmedStatuses()
        return []
    }

    /// Drives every deadline. Called by the daemon's loop several times a second.
    public mutating func tick(at now: Moment) -> [EngineEffect] {
        collector.tick(at: now)
        var effects = saveNewlyRegistered()
        if let problem = collector.brokerUnreachable(
            broker: "\(configuration.mqtt.host):\(configuration.mqtt.port)",
            at: now)
        {
            effects += raise(problem, at: now)
        }
        effects += applyOpeningHours(at: now)
        if collector.brokerConnected {
            for slot in registry.takeConfirmedOfflineStatuses(at: now, horizon: collector.deadlineHorizon(at: now)) {
                effects += declareOffline(
                    slot, summary: "device reported offline (status message or last will)", at: now)
            }
            effects += expireDeadlines(at: now)
        }
        for slot in flaps.takeCalmed(at: now.monotonic) {
            effects += incidents.unmarkFlapping(device: registry.id(slot))
        }
        effects += incidents.resolveCleared(at: now)
        effects += incidents.announceDue(at: now)
        if now.monotonic - lastSlowTick >= 1 {
            lastSlowTick = now.monotonic
            effects += applyMaintenance(at: now)
            effects += incidents.checkDeadlines(at: now)
            flaps.forgetStale(at: now.monotonic)
            incidents.forgetExpiredFailures(at: now)
            effects += forgetSilentDevices(at: now)
            if let finding = quality.sweep(at: now) { effects += route([finding], at: now) }
        }
        return effects
    }

    /// True when the last tick was so long ago that the daemon must have been stalled.
    public func isStalled(at now: Moment) -> Bool { collector.isStalled(at: now) }

    // MARK: routing between the parts

    /// Adds a device to every part that keeps per-device state.
    mutating func insert(_ record: DeviceRecord) -> DeviceSlot {
        let slot = registry.insert(record)
        joined(slot)
        return slot
    }

    /// A device the registry just added: the parts with per-device state learn of it.
    mutating func joined(_ slot: DeviceSlot) {
        let record = registry.record(slot)
        rules.added(slot, kind: record.kind)
        forecaster.added(slot, kind: record.kind)
        history.added(slot)
        rollup.add(record)
        quality.added(slot)
    }

    /// Finds (or registers) the device a message is about; see `DeviceRegistry.resolve`.
    mutating func resolve(
        _ result: (inout DeviceRegistry) -> Result<DeviceSlot, Rejection>
    ) -> Result<DeviceSlot, Rejection> {
        let registrations = registry.registrations
        let resolved = result(&registry)
        if registry.registrations != registrations, case .success(let slot) = resolved { joined(slot) }
        return resolved
    }

    /// The records of devices registered from a topic since the last input, to be saved.
    mutating func saveNewlyRegistered() -> [EngineEffect] {
        registry.takeNewlyRegistered().map { .saveDevice(registry.record($0)) }
    }

    /// Moves a device to a new state, persisting it, counting it toward flapping and
    /// re-evaluating the outages it takes part in.
    mutating func setState(_ slot: DeviceSlot, _ state: DeviceState, at now: Moment) -> [EngineEffect] {
        guard let transition = registry.setState(slot, state, at: now) else { return [] }
        return apply(transition, at: now)
    }

    /// What a state change means beyond the registry.
    mutating func apply(_ transition: DeviceTransition, at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = [.saveDevice(transition.record)]
        if transition.from == .sleeping { hours.stopWaking(transition.slot) }
        if transition.countsTowardFlapping && flaps.record(transition.slot, at: now.monotonic) {
            effects += incidents.markFlapping(device: transition.record.id, at: now)
        }
        rollup.move(transition)
        if transition.changesOffline {
            effects += route(rollup.evaluate(site: transition.record.site, kind: transition.record.kind), at: now)
        }
        return effects
    }

    mutating func route(_ findings: [Finding], at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for finding in findings {
            switch finding {
            case .holds(let problem): effects += raise(problem, at: now)
            case .revised(let problem): effects += incidents.revise(problem, at: now)
            case .cleared(let key): incidents.clear(key, at: now)
            }
        }
        return effects
    }

    /// Opens or updates the incident for a problem; devices in maintenance open nothing.
    mutating func raise(_ problem: Problem, countsAsFailure: Bool = true, at now: Moment) -> [EngineEffect] {
        var flapping = false
        if let id = problem.device, let slot = registry.slot(of: id) {
            if registry[slot].state == .maintenance { return [] }
            flapping = flaps.isFlapping(slot)
        }
        return incidents.raise(problem, flapping: flapping, countsAsFailure: countsAsFailure, at: now)
    }

    /// A device known to be down: `offline` with its incident, or `sleeping` (and nothing opens)
    /// when it may be silent now.
    mutating func declareOffline(_ slot: DeviceSlot, summary: String, at now: Moment) -> [EngineEffect] {
        let record = registry.record(slot)
        guard record.state != .maintenance else { return [] }
        if hours.maySleep(record) { return setState(slot, .sleeping, at: now) }
        return setState(slot, .offline, at: now) + raise(.device(.offline, .p2, record, summary: summary), at: now)
    }

    /// Inventory entries not yet known are added as `unknown`; known ones take the configured
    /// site, kind and name.
    mutating func applyInventory(at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for entry in configuration.devices {
            if let slot = registry.slot(of: entry.id) {
                guard let before = registry.applyInventory(entry, to: slot) else { continue }
                let record = registry.record(slot)
                rollup.remove(before)
                rollup.add(record)
                rules.reset(slot, kind: record.kind)
                forecaster.reset(slot, kind: record.kind)
                effects.append(.saveDevice(record))
            } else {
                let record = DeviceRecord(
                    id: entry.id, site: entry.site, kind: entry.kind, name: entry.name,
                    inventory: true, state: .unknown, stateSince: now.wall)
                _ = insert(record)
                effects.append(.saveDevice(record))
            }
        }
        return effects
    }

    /// After a restart: incidents whose condition is already clear start their resolve clock (a
    /// storage failure too: the database just opened), and flapping marks go (the flap
    /// histories did not survive the restart).
    mutating func reconcileRestoredIncidents(at now: Moment) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        // A storage failure the last run did not see end: the store opened, so it has.
        incidents.clear(IncidentKey(rule: .storageFailure, scope: .collector), at: now)
        for incident in incidents.unresolved.values where incident.scope == .device {
            guard let id = incident.device, let slot = registry.slot(of: id) else { continue }
            if let health = Heartbeat.Health(rawValue: incident.condition.rawValue), health != .ok {
                registry.setHealth(slot, health)  // so the next `ok` heartbeat is a change
            }
            let state = registry[slot].state
            // A sleeping device keeps the incidents it had: nothing was learned while it slept.
            let holds: Bool
            switch incident.condition {
            case .offline: holds = state == .offline || state == .sleeping
            case .fault, .degraded: holds = state == .degraded || state == .sleeping
            case .dataLoss, .rebootLoop:
                quality.links.restoreHolding(slot, incident.condition)  // the window decides once it holds enough
                holds = true
            case .error:
                // Active until a heartbeat comes without it.
                if let code = incident.code { quality.errors.restore(slot, code: code) }
                holds = true
            default: holds = true
            }
            if forecaster.isForecast(incident.condition, kind: incident.kind) {
                forecaster.restoreFiring(slot, named: incident.condition, eta: incident.eta, at: now)
            }
            incidents.reconcile(incident.key, holds: holds, at: now)
            if incident.flapping { effects += incidents.unmarkFlapping(device: id) }
        }
        return effects
    }
}
