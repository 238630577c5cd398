import FleetCore

/// Maxima: a day for the watcher's own timers (a grace or wait longer than that hides real
/// outages), a week for windows over which changes are counted, a year for repeated failures.
extension ConfigSchema {
    static let day = 86_400.0
    static let week = 7 * day

    static var detection: ConfigTable<DetectionSettings> {
        ConfigTable<DetectionSettings>(
            "How devices are judged, and how the watcher keeps its own faults from becoming incidents.",
            keys: [
                .seconds(
                    "startup_grace_s", \.startupGraceSeconds, NumberRange(0, day),
                    "After start, a broker reconnect or a stall of the daemon, nobody goes offline sooner "
                        + "than this."),
                .seconds(
                    "resolve_after_s", \.resolveAfterSeconds, NumberRange(0, day),
                    "A condition must stay clear this long before its incident resolves by itself."),
                .seconds(
                    "broker_down_p1_after_s", \.brokerDownP1AfterSeconds, NumberRange(above: 0, upTo: day),
                    "Broker unreachable this long → P1 `broker-unreachable` (and `/healthz` 503)."),
                .seconds(
                    "flap_window_s", \.flapWindowSeconds, NumberRange(above: 0, upTo: week),
                    "Window in which state changes are counted for flapping, and the calm that ends it."),
                .count(
                    "flap_changes", \.flapChanges, 2...1000,
                    "This many state changes within `flap_window_s` → the device is flapping."),
                .count(
                    "max_devices", \.maxDevices, 1...10_000_000,
                    "Devices beyond this many are refused (`device_limit`)."),
                .seconds(
                    "max_clock_skew_s", \.maxClockSkewSeconds, NumberRange(above: 0, upTo: day),
                    "A heartbeat whose `ts` is off by more than this flags the device (`clock_skew`)."),
                .seconds(
                    "forget_after_s", \.forgetAfterSeconds, NumberRange(above: 0, upTo: 3650 * day),
                    "A device not in the inventory and not heard for this long is forgotten: removed, its "
                        + "incidents resolved, its slot free for another."),
                .seconds(
                    "quality_window_s", \.qualityWindowSeconds, NumberRange(10, week),
                    "Link quality (`fleetwatch quality`) counts about this many seconds of heartbeats "
                        + "(a decaying window)."),
                .number(
                    "max_loss_ratio", \.maxLossRatio, NumberRange(above: 0, upTo: 1),
                    "`loss_ratio` at or above this (with `min_expected` heartbeats expected) → P2 `data-loss`."),
                .count(
                    "min_expected", \.minExpected, 1...1_000_000,
                    "`data-loss` opens only once this many heartbeats are expected in the window, and "
                        + "`data-loss` and `reboot-loop` resolve only then (a window that starts over after a "
                        + "restart proves nothing yet)."),
                .count(
                    "reboot_limit", \.rebootLimit, 1...1000,
                    "This many reboots within `quality_window_s` → P2 `reboot-loop`."),
            ])
    }

    static var escalation: ConfigTable<EscalationSettings> {
        ConfigTable<EscalationSettings>(
            "When device problems become P1 incidents, and how long announcements wait for grouping.",
            keys: [
                .number(
                    "site_offline_ratio", \.siteOfflineRatio, NumberRange(above: 0, upTo: 1),
                    "This share of a site's devices offline (a site of ≥ 2) → P1 `site-outage`."),
                .number(
                    "fleet_offline_ratio", \.fleetOfflineRatio, NumberRange(above: 0, upTo: 1),
                    "This share of all devices offline (a fleet of ≥ 2) → P1 `fleet-outage`."),
                .count(
                    "repeat_failures", \.repeatFailures, 2...1000,
                    "A device's N-th failure within `repeat_window_s` → P1 `repeated-failure`."),
                .seconds(
                    "repeat_window_s", \.repeatWindowSeconds, NumberRange(above: 0, upTo: 365 * day),
                    "Window in which a device's failures are counted."),
                .seconds(
                    "group_wait_s", \.groupWaitSeconds, NumberRange(0, 3600),
                    "Device and site incidents wait this long before their `OPEN` line, so a wider outage can "
                        + "take them in."),
            ])
    }
}
