/// A named, scripted situation for one incident rule: the fleet, the timeline, and what the
/// daemon should make of it. Times are seconds at the simulator's short time scale; they assume
/// the daemon settings printed by `fleetsim scenarios` (short grace, resolve and rule windows).
struct Scenario: Sendable {
    let name: String
    let summary: String
    let expected: String
    var sites = 3
    var perKind = 2
    var interval = 0.5
    var duration = 9.5
    /// What else the daemon must be configured with for this scenario (its opening hours).
    var needs: String?
    let steps: [TimelineStep]

    /// The daemon settings every scenario is written for.
    static let daemonSettings = """
        [detection] startup_grace_s = 1, resolve_after_s = 2, flap_window_s = 10, flap_changes = 6
        [escalation] group_wait_s = 1, repeat_failures = 3, repeat_window_s = 60
        rules: every built-in rule with for_s = 1 (heartbeats carry interval_s = 0.5, so offline after 1.5 s)
        link quality and error codes: the defaults (quality_window_s 3600, max_loss_ratio 0.2, min_expected 20,
          reboot_limit 3; the built-in error catalogs)
        forecasts: the built-in battery-forecast (battery_pct reaches 15 within 1800 s, window 1800 s, min_samples 5)
        """

    static let all: [Scenario] = [
        Scenario(
            name: "offline", summary: "a robot stops sending heartbeats but stays connected",
            expected: "OPEN P2 offline robot-site01-01",
            steps: [.init(at: 3, .stop, ["robot-site01-01"])]),
        Scenario(
            name: "lwt", summary: "a locker loses power; the broker publishes its last will",
            expected: "OPEN P2 offline locker-site01-01, at once",
            steps: [.init(at: 3, .kill, ["locker-site01-01"])]),
        Scenario(
            name: "battery-drain", summary: "a robot's battery drains 6 %/s from 87 % down to empty",
            expected: "OPEN P2 battery-forecast robot-site02-01 (eta = the crossing of 15 %), OPEN P2 battery-low "
                + "robot-site02-01, then RESOLVE battery-forecast once the empty battery stays flat",
            duration: 24,
            steps: [.init(at: 1, .ramp("battery_pct", -6), ["robot-site02-01"])]),
        Scenario(
            name: "charging", summary: "a robot drains 2 %/s for 20 s, then is put on charge (+1 %/s)",
            expected: "OPEN P2 battery-forecast robot-site02-01, RESOLVE battery-forecast robot-site02-01 "
                + "a few seconds after the charge starts",
            duration: 28,
            steps: [
                .init(at: 1, .ramp("battery_pct", -2), ["robot-site02-01"]),
                .init(at: 21, .ramp("battery_pct", 1), ["robot-site02-01"]),
            ]),
        Scenario(
            name: "fault", summary: "a face gate reports health fault",
            expected: "OPEN P2 fault gate-site03-01",
            steps: [.init(at: 3, .health("fault"), ["gate-site03-01"])]),
        Scenario(
            name: "degraded", summary: "a pickup locker reports health degraded",
            expected: "OPEN P2 degraded locker-site02-01",
            steps: [.init(at: 3, .health("degraded"), ["locker-site02-01"])]),
        Scenario(
            name: "site-outage", summary: "site01 loses power: all 8 devices drop",
            expected: "OPEN P1 site-outage site01, and no device lines (they are its children)",
            steps: [.init(at: 3, .kill, siteDevices(["site01"]))]),
        Scenario(
            name: "core-down", summary: "both delivery robots at site02 drop",
            expected: "OPEN P1 core-down site02 delivery-robot, no device lines",
            steps: [.init(at: 3, .kill, ["robot-site02-01", "robot-site02-02"])]),
        Scenario(
            name: "fleet-outage", summary: "site01 and site02 drop: 16 of 24 devices",
            expected: "OPEN P1 fleet-outage, no other lines",
            steps: [.init(at: 3, .kill, siteDevices(["site01", "site02"]))]),
        Scenario(
            name: "repeated-failure", summary: "a robot drops three times, recovering in between",
            expected: "OPEN P2, RESOLVE, OPEN P2, RESOLVE, then OPEN P1 repeated-failure robot-site01-01",
            duration: 21,
            steps: [
                .init(at: 3, .kill, ["robot-site01-01"]), .init(at: 5, .resume, ["robot-site01-01"]),
                .init(at: 10, .kill, ["robot-site01-01"]), .init(at: 12, .resume, ["robot-site01-01"]),
                .init(at: 17, .kill, ["robot-site01-01"]),
            ]),
        Scenario(
            name: "flapping", summary: "a kiosk's connection comes and goes every 0.7 s",
            expected: "one incident for kiosk-site01-01 with one FLAPPING line, no RESOLVE while flapping",
            duration: 11,
            steps: stride(from: 3.0, through: 9.3, by: 0.7).enumerated().map { n, t in
                TimelineStep(at: t, n % 2 == 0 ? .kill : .resume, ["kiosk-site01-01"])
            }),
        Scenario(
            name: "closing-time",
            summary: "site01 closes; its kiosks power off with their last will, the gates stay on; at opening "
                + "kiosk-site01-02 does not come back",
            expected: "no line at closing; OPEN P2 offline kiosk-site01-02 (did not wake after opening)",
            duration: 16, needs: closingTimeSettings,
            steps: [
                .init(at: 5, .kill, ["kiosk-site01-01", "kiosk-site01-02"]),
                .init(at: 11, .resume, ["kiosk-site01-01"]),
            ]),
        Scenario(
            name: "clock-skew", summary: "a gate's clock is an hour fast",
            expected: "no incident; gate-site01-01 flagged clock_skew in fleetwatch devices",
            steps: [.init(at: 2, .skew(3600), ["gate-site01-01"])]),
        Scenario(
            name: "malformed", summary: "a device publishes 8 invalid messages",
            expected: "no incident; 8 rejections counted by reason in fleetwatch status",
            steps: [.init(at: 3, .malformed, ["robot-site01-01"])]),
        Scenario(
            name: "lossy-link", summary: "a robot's Wi-Fi loses every other heartbeat (seq shows the gaps)",
            expected: "OPEN P2 data-loss robot-site01-01 once 20 heartbeats are expected; loss_ratio ≈ 0.5",
            duration: 14, steps: [.init(at: 0, .loss(0.5), ["robot-site01-01"])]),
        Scenario(
            name: "reboot-loop", summary: "a kiosk's software restarts after every 4th heartbeat",
            expected: "OPEN P2 reboot-loop kiosk-site01-01 at the third reboot; no loss",
            steps: [.init(at: 0, .rebootEvery(4), ["kiosk-site01-01"])]),
        Scenario(
            name: "door-jam", summary: "a locker door jams: the locker reports health fault with E_DOOR_JAM",
            expected: "OPEN P2 fault locker-site01-01 errors=E_DOOR_JAM, OPEN P1 error code=E_DOOR_JAM",
            steps: [
                .init(at: 3, .errors(["E_DOOR_JAM"]), ["locker-site01-01"]),
                .init(at: 3, .health("fault"), ["locker-site01-01"]),
            ]),
    ]

    /// closing-time's opening hours, relative to the moment the scenario starts.
    static let closingTimeSettings =
        "site01 on a [schedules.NAME] that closes 3 s after the scenario starts and "
        + "opens again 10 s after it (HH:MM:SS in sla.timezone); [kinds.digital-human] off_hours = \"sleep\", "
        + "wake_grace_s = 3"

    static func siteDevices(_ sites: [String]) -> [String] {
        DeviceSpec.fleet(sites: 3, perKind: 2, kinds: DeviceSpec.builtInKinds).filter { sites.contains($0.site) }.map(
            \.id)
    }
}
