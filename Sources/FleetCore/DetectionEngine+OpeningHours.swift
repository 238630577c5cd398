/// Opening hours (SPEC §10), routed between `OpeningHours` (which sites are closed, who is
/// waking) and the registry (states and deadlines): sites that close let their `sleep`-kind
/// devices sleep, sites that open give their sleeping devices `wake_grace_s` to be heard.
extension DetectionEngine {
    /// Every tick: the sites whose opening or closing moment has come (one look at a heap when
    /// none has).
    mutating func applyOpeningHours(at now: Moment) -> [EngineEffect] {
        let changes = hours.takeChanges(at: now.wall)
        guard !changes.isEmpty, !hours.sleepKinds.isEmpty || !hours.waking.isEmpty else { return [] }
        var openedAt: [String: Double] = [:]
        for change in changes where change.opened { openedAt[change.site] = change.at }
        return settleSleepers(at: Set(changes.map(\.site)), wakeFrom: openedAt, at: now)
    }

    /// Timeouts that came due: offline with their incident, or asleep at a closed site. A
    /// sleeping device that was not heard within its wake grace is offline with a summary saying so.
    mutating func expireDeadlines(at now: Moment) -> [EngineEffect] {
        let closed = hours.closedSites
        let sleepKinds = hours.sleepKinds
        let expired = registry.expireDeadlines(
            at: now, horizon: collector.deadlineHorizon(at: now),
            graceEnd: collector.graceEnd,
            graceSeconds: collector.graceSecondsSetting
        ) {
            sleepKinds.contains($0.kind) && closed.contains($0.site)
        }
        var effects: [EngineEffect] = []
        for expiry in expired {
            let transition = expiry.transition
            let summary =
                transition.from == .sleeping
                ? hours.didNotWakeSummary(transition.slot, format: localTime.format) : expiry.summary
            effects += apply(transition, at: now)
            if transition.to == .offline {
                effects += raise(.device(.offline, .p2, transition.record, summary: summary), at: now)
            }
        }
        return effects
    }

    /// After a restart the devices are where the database left them, and the sites may have
    /// opened or closed meanwhile: the same as if the daemon had been running, without a storm.
    /// A sleeping device at an open site is waking since its site opened (and has at least
    /// `startup_grace_s`, like everyone); a `sleep`-kind device not heard since its site last
    /// opened, while that opening's wake grace still runs, is waking too (its retained `offline`
    /// status must not beat the grace); an offline one at a closed site sleeps.
    mutating func settleAfterRestart(at now: Moment) -> [EngineEffect] {
        guard !hours.sleepKinds.isEmpty || registry.devices.contains(where: { $0.state == .sleeping }) else {
            return []
        }
        let openings = hours.openings(at: now.wall)
        var effects: [EngineEffect] = []
        for i in registry.devices.indices {
            let slot = DeviceSlot(i)
            let state = registry[slot].state
            guard state == .online || state == .degraded || state == .unknown else { continue }
            let record = registry.record(slot)
            guard hours.sleepKinds.contains(record.kind), let opened = openings[record.site],
                now.wall < opened + hours.wakeGrace(kind: record.kind),
                (record.lastSeen ?? -Double.infinity) < opened
            else { continue }
            effects += setState(slot, .sleeping, at: now)
        }
        return effects + settleSleepers(at: nil, wakeFrom: openings, at: now)
    }

    /// Brings the devices of `sites` (nil: every site) in line with their sites' hours now:
    /// - a `sleep`-kind device `offline` at a closed site sleeps; its open incident stays open
    ///   and resolves as usual once the device is heard again (see docs/rules.md);
    /// - a sleeping device that may not sleep now (its site open, or its kind no longer `sleep`)
    ///   and is not waking yet gets `wake_grace_s` from its site's opening in `wakeFrom`, or
    ///   from now (a reload that opened it, a site that lost its schedule);
    /// - a waking device whose site closed again stops waiting.
    mutating func settleSleepers(
        at sites: Set<String>?, wakeFrom: [String: Double],
        at now: Moment
    ) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        for i in registry.devices.indices {
            let slot = DeviceSlot(i)
            let state = registry[slot].state
            guard !registry[slot].forgotten, state == .offline || state == .sleeping else { continue }
            let record = registry.record(slot)
            if let sites, !sites.contains(record.site) { continue }
            let maySleep = hours.maySleep(record)
            switch (record.state, maySleep) {
            case (.offline, true):
                effects += setState(slot, .sleeping, at: now)
            case (.sleeping, false) where hours.waking[slot] == nil:
                let from = wakeFrom[record.site] ?? now.wall
                let until = from + hours.wakeGrace(kind: record.kind)
                hours.startWaking(slot, OpeningHours.Wake(from: from, until: until))
                registry.awaitWake(slot, until: now.monotonic + (until - now.wall))
            case (.sleeping, true):
                hours.stopWaking(slot)
            default:
                break
            }
        }
        return effects
    }
}
