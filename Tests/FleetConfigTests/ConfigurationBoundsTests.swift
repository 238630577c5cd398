import XCTest

@testable import FleetConfig
@testable import FleetCore

/// Every number in the file has a maximum, named in the problem (issue 11 item 8): before,
/// `respond_within_s = 1e300` passed `--check-config` and left incidents without `respond_by`.
final class ConfigurationBoundsTests: XCTestCase {
    private func problems(_ toml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(toml)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// The values the issue found, each refused with its maximum.
    func testTheValuesFromTheIssueAreRefusedWithTheirMaximum() {
        XCTAssertEqual(
            problems("[sla]\nrespond_within_s = 1e300"),
            ["config: sla.respond_within_s must be > 0 and <= 604800 (got 1e+300)"])
        XCTAssertEqual(
            problems("[detection]\nstartup_grace_s = 1e308"),
            ["config: detection.startup_grace_s must be 0-86400 (got 1e+308)"])
        XCTAssertEqual(
            problems("[escalation]\ngroup_wait_s = 1e300"),
            ["config: escalation.group_wait_s must be 0-3600 (got 1e+300)"])
        XCTAssertEqual(
            problems("[kinds.pickup-locker]\nmissed = 99999999999999999"),
            ["config: kinds.pickup-locker.missed must be 1-100 (got 99999999999999999)"])
    }

    /// One fixture per numeric key, just over its maximum, with the exact message.
    private static let overTheTop: [(toml: String, message: String)] = [
        ("[mqtt]\nport = 65536", "config: mqtt.port must be 1-65535 (got 65536)"),
        ("[mqtt]\nkeepalive_s = 65535.5", "config: mqtt.keepalive_s must be 5-65535 (got 65535.5)"),
        (
            "[mqtt]\nmax_payload_bytes = 268435456",
            "config: mqtt.max_payload_bytes must be 64-268435455 (got 268435456)"
        ),
        ("[detection]\nstartup_grace_s = 86401", "config: detection.startup_grace_s must be 0-86400 (got 86401)"),
        ("[sla]\nresolve_within_s = 31536001", "config: sla.resolve_within_s must be 0-31536000 (got 31536001)"),
        (
            "[sla]\nplan_within_s = 31536001",
            "config: sla.plan_within_s must be > 0 and <= 31536000 (got 31536001)"
        ),
        ("[sla]\nplan_within_s = 0", "config: sla.plan_within_s must be > 0 and <= 31536000 (got 0)"),
        ("[detection]\nresolve_after_s = 86400.5", "config: detection.resolve_after_s must be 0-86400 (got 86400.5)"),
        (
            "[detection]\nforget_after_s = 315360001",
            "config: detection.forget_after_s must be > 0 and <= 315360000 (got 315360001)"
        ),
        ("[detection]\nforget_after_s = 0", "config: detection.forget_after_s must be > 0 and <= 315360000 (got 0)"),
        (
            "[detection]\nbroker_down_p1_after_s = 1e9",
            "config: detection.broker_down_p1_after_s must be > 0 and <= 86400 (got 1000000000)"
        ),
        (
            "[detection]\nflap_window_s = 604801",
            "config: detection.flap_window_s must be > 0 and <= 604800 (got 604801)"
        ),
        ("[detection]\nflap_changes = 1001", "config: detection.flap_changes must be 2-1000 (got 1001)"),
        ("[detection]\nmax_devices = 10000001", "config: detection.max_devices must be 1-10000000 (got 10000001)"),
        (
            "[detection]\nmax_clock_skew_s = inf",
            "config: detection.max_clock_skew_s must be > 0 and <= 86400 (got inf)"
        ),
        (
            "[escalation]\nsite_offline_ratio = 1.01",
            "config: escalation.site_offline_ratio must be > 0 and <= 1 (got 1.01)"
        ),
        (
            "[escalation]\nfleet_offline_ratio = 2",
            "config: escalation.fleet_offline_ratio must be > 0 and <= 1 (got 2)"
        ),
        ("[escalation]\nrepeat_failures = 1001", "config: escalation.repeat_failures must be 2-1000 (got 1001)"),
        (
            "[escalation]\nrepeat_window_s = 31536001",
            "config: escalation.repeat_window_s must be > 0 and <= 31536000 (got 31536001)"
        ),
        ("[escalation]\ngroup_wait_s = 3601", "config: escalation.group_wait_s must be 0-3600 (got 3601)"),
        ("[sla]\nrespond_within_s = 604801", "config: sla.respond_within_s must be > 0 and <= 604800 (got 604801)"),
        ("[sla]\np1_onsite_within_s = 604801", "config: sla.p1_onsite_within_s must be > 0 and <= 604800 (got 604801)"),
        (
            "[sla]\np2_onsite_within_s = 2592001",
            "config: sla.p2_onsite_within_s must be > 0 and <= 2592000 (got 2592001)"
        ),
        ("[kinds.face-gate]\ninterval_s = 86401", "config: kinds.face-gate.interval_s must be 0.1-86400 (got 86401)"),
        ("[kinds.face-gate]\ninterval_s = 0.05", "config: kinds.face-gate.interval_s must be 0.1-86400 (got 0.05)"),
        ("[kinds.face-gate]\nmissed = 101", "config: kinds.face-gate.missed must be 1-100 (got 101)"),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nbelow = 1\nfor_s = 604801",
            "config: kinds.face-gate.rules[0].for_s must be 0-604800 (got 604801)"
        ),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nbelow = 1e300",
            "config: kinds.face-gate.rules[0].below must be within ±1e15 (got 1e+300)"
        ),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nabove = -1e16",
            "config: kinds.face-gate.rules[0].above must be within ±1e15 (got -1e+16)"
        ),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nequals = 1e300",
            "config: kinds.face-gate.rules[0].equals must be within ±1e15 (got 1e+300)"
        ),
        ("[storage]\nhistory_days = 3651", "config: storage.history_days must be 0-3650 (got 3651)"),
        ("[storage]\nhistory_interval_s = 86401", "config: storage.history_interval_s must be 0.1-86400 (got 86401)"),
        ("[storage]\nhistory_raw_days = 3651", "config: storage.history_raw_days must be 1-3650 (got 3651)"),
        (
            "[[kinds.face-gate.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 1e16",
            "config: kinds.face-gate.forecasts[0].reaches must be within ±1e15 (got 1e+16)"
        ),
        (
            "[[kinds.face-gate.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 1\nwithin_s = 604801",
            "config: kinds.face-gate.forecasts[0].within_s must be > 0 and <= 604800 (got 604801)"
        ),
        (
            "[[kinds.face-gate.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 1\nwindow_s = 604801",
            "config: kinds.face-gate.forecasts[0].window_s must be > 0 and <= 604800 (got 604801)"
        ),
        (
            "[[kinds.face-gate.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 1\nmin_samples = 1001",
            "config: kinds.face-gate.forecasts[0].min_samples must be 2-1000 (got 1001)"
        ),
    ]

    func testEveryNumericKeyRefusesAValueOverItsMaximumByName() {
        for fixture in Self.overTheTop {
            XCTAssertEqual(problems(fixture.toml), [fixture.message], fixture.toml)
        }
    }

    /// The maxima themselves are accepted: the bounds are inclusive where they say so.
    func testEveryMaximumItselfIsAccepted() throws {
        let config = try ConfigurationLoader.parse(
            """
            [mqtt]
            port = 65535
            keepalive_s = 65535
            max_payload_bytes = 268435455
            [detection]
            startup_grace_s = 86400
            resolve_after_s = 86400
            broker_down_p1_after_s = 86400
            flap_window_s = 604800
            flap_changes = 1000
            max_devices = 10000000
            max_clock_skew_s = 86400
            forget_after_s = 315360000
            [escalation]
            site_offline_ratio = 1
            repeat_failures = 1000
            repeat_window_s = 31536000
            group_wait_s = 3600
            [sla]
            respond_within_s = 604800
            p1_onsite_within_s = 604800
            p2_onsite_within_s = 2592000
            [kinds.face-gate]
            interval_s = 86400
            missed = 100
            wake_grace_s = 86400
            [[kinds.face-gate.rules]]
            name = "x"
            metric = "m"
            above = 1e15
            for_s = 604800
            """)
        XCTAssertEqual(config.sla.respondWithinSeconds, 604_800)
        XCTAssertEqual(config.kinds["face-gate"]?.missed, 100)
        XCTAssertEqual(config.kinds["face-gate"]?.wakeGraceSeconds, 86_400)
        XCTAssertEqual(config.kinds["face-gate"]?.rules.last?.condition, .above(1e15))
    }

    /// The reference states a maximum for every numeric key, so a key added later without one
    /// shows in the docs (the constructors make a maximum mandatory anyway).
    func testTheReferenceStatesARangeWithAMaximumForEveryNumericKey() {
        let rows = ConfigSchema.root.reference(heading: "", prefix: "", defaults: Configuration()).flatMap(\.rows)
        let numeric = rows.filter { ["seconds", "integer", "number"].contains($0.type) }
        for key in [
            "mqtt.port", "detection.startup_grace_s", "sla.respond_within_s", "kinds.NAME.missed",
            "kinds.NAME.wake_grace_s",
        ] {
            XCTAssertTrue(numeric.contains { $0.key == key }, "the reference lists no numeric \(key)")
        }
        for row in numeric {
            XCTAssertTrue(
                row.range.contains("–") || row.range.contains("≤") || row.range.contains("±"),
                "\(row.key): \(row.range)")
        }
    }
}
