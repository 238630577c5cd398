/// The data quality of the device → broker → daemon link (issue 13), composed of its parts: what
/// each heartbeat says about the link (`LinkQuality`), the error codes it carries
/// (`ActiveErrors`), its last metric values (`MetricSnapshots`), and the broker's own `$SYS`
/// counters (`BrokerWatch`). The engine hands a heartbeat over once and routes what changed.
struct DataQuality {
    /// Lost, duplicated and late heartbeats, reboots and latency per device; `data-loss`, `reboot-loop`.
    var links: LinkQuality
    /// Active error codes per device; the `error` rule.
    var errors: ActiveErrors
    /// The last value of each metric per device, for `fleetwatch device`.
    var metrics = MetricSnapshots()
    /// The broker's `$SYS` values; `broker-dropping`.
    var broker = BrokerWatch()

    /// What one heartbeat changed: the link rules' verdicts, and the device's error codes if
    /// they are not the ones it had.
    struct Observation {
        var link: LinkQuality.Changes
        var errors: ActiveErrors.Change?
    }

    init(_ configuration: Configuration, at now: Moment) {
        links = LinkQuality(configuration.detection, origin: now.monotonic)
        errors = ActiveErrors(kinds: configuration.kinds)
    }

    /// A new device (in a slot the registry just handed out).
    mutating func added(_ slot: DeviceSlot) {
        links.added(slot)
        metrics.added(slot)
    }

    /// A forgotten device: its slot starts from nothing in every part.
    mutating func forget(_ slot: DeviceSlot) {
        links.forget(slot)
        errors.forget(slot)
        metrics.forget(slot)
    }

    /// A reload: the window and thresholds, and the error catalogs of the kinds.
    mutating func configure(_ next: Configuration, at now: Moment) {
        links.configure(next.detection, at: now.monotonic)
        errors.configure(kinds: next.kinds)
    }

    /// The broker delivers again after a disconnect or a stall: no device's gap counts as lost.
    mutating func brokerDelivers() { links.resumeAfterBlindness() }

    /// One heartbeat of the device in `slot`.
    mutating func observe(_ slot: DeviceSlot, _ beat: Heartbeat, at now: Moment) -> Observation {
        let link = links.observe(slot, beat, at: now)
        if !beat.metrics.isEmpty { metrics.update(slot, beat.metrics) }
        return Observation(link: link, errors: errors.update(slot, beat.errors))
    }

    /// Once a second: the loss windows decay, and the broker's dropped-messages counter is
    /// looked at (`broker-dropping` holds or clears).
    mutating func sweep(at now: Moment) -> Finding? {
        links.sweep(at: now.monotonic)
        return broker.tick(at: now)
    }
}
