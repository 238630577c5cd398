import XCTest

@testable import FleetConfig
@testable import FleetCore

final class ConfigurationLoaderTests: XCTestCase {
    /// The problems a configuration text produces, as `--check-config` prints them.
    private func problems(_ toml: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(toml)
            XCTFail("the configuration was accepted", file: file, line: line)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    private func load(_ toml: String, file: StaticString = #filePath, line: UInt = #line) throws -> Configuration {
        do {
            return try ConfigurationLoader.parse(toml)
        } catch {
            XCTFail("rejected: \(error.description)", file: file, line: line)
            throw error
        }
    }

    // MARK: defaults

    func testAnEmptyFileGivesTheSpecDefaults() throws {
        let config = try load("")
        XCTAssertEqual(config, Configuration())

        XCTAssertEqual(config.mqtt.host, "127.0.0.1")
        XCTAssertEqual(config.mqtt.port, 1883)
        XCTAssertEqual(config.mqtt.clientID, "fleetwatchd")
        XCTAssertEqual(config.mqtt.topicPrefix, "library")
        XCTAssertEqual(config.mqtt.username, "")
        XCTAssertEqual(config.mqtt.passwordFile, "")
        XCTAssertEqual(config.mqtt.tlsCAFile, "")
        XCTAssertEqual(config.mqtt.keepaliveSeconds, 30)
        XCTAssertEqual(config.mqtt.maxPayloadBytes, 8192)

        XCTAssertEqual(config.storage.database, "/var/lib/fleetwatch/fleetwatch.db")
        XCTAssertEqual(config.storage.alertLog, "/var/log/fleetwatch/alerts.log")
        XCTAssertEqual(config.storage.alertLogFormat, .text)
        XCTAssertEqual(config.control.socket, "/run/fleetwatch/control.sock")
        XCTAssertEqual(config.metrics.listen, "127.0.0.1:9731")

        XCTAssertEqual(config.detection.startupGraceSeconds, 60)
        XCTAssertEqual(config.detection.resolveAfterSeconds, 30)
        XCTAssertEqual(config.detection.brokerDownP1AfterSeconds, 300)
        XCTAssertEqual(config.detection.flapWindowSeconds, 600)
        XCTAssertEqual(config.detection.flapChanges, 6)
        XCTAssertEqual(config.detection.maxDevices, 100_000)
        XCTAssertEqual(config.detection.maxClockSkewSeconds, 120)

        XCTAssertEqual(config.escalation.siteOfflineRatio, 0.5)
        XCTAssertEqual(config.escalation.fleetOfflineRatio, 0.5)
        XCTAssertEqual(config.escalation.repeatFailures, 3)
        XCTAssertEqual(config.escalation.repeatWindowSeconds, 86400)
        XCTAssertEqual(config.escalation.groupWaitSeconds, 10)

        XCTAssertEqual(config.sla.timezone, "Asia/Shanghai")
        XCTAssertEqual(config.sla.serviceDays, [.mon, .tue, .wed, .thu, .fri, .sat, .sun])
        XCTAssertEqual(
            config.sla.serviceHours,
            [
                ServiceRange(startMinute: 540, endMinute: 720),
                ServiceRange(startMinute: 780, endMinute: 1320),
            ])
        XCTAssertEqual(config.sla.holidays, [])
        XCTAssertEqual(config.sla.respondWithinSeconds, 7200)
        XCTAssertEqual(config.sla.p1OnsiteWithinSeconds, 14400)
        XCTAssertEqual(config.sla.p2OnsiteWithinSeconds, 86400)

        XCTAssertEqual(Set(config.kinds.keys), ["delivery-robot", "pickup-locker", "digital-human", "face-gate"])
        let robot = try XCTUnwrap(config.kinds["delivery-robot"])
        XCTAssertEqual(robot.intervalSeconds, 10)
        XCTAssertEqual(robot.missed, 3)
        XCTAssertTrue(robot.core)
        XCTAssertEqual(
            robot.rules,
            [
                MetricRule(
                    name: "battery-low", metric: "battery_pct", condition: .below(15),
                    forSeconds: 60, priority: .p2)
            ])
        XCTAssertEqual(config.kinds["pickup-locker"]?.intervalSeconds, 30)
        XCTAssertEqual(config.kinds["digital-human"]?.core, false)
        XCTAssertEqual(config.kinds["face-gate"]?.intervalSeconds, 15)
        XCTAssertEqual(config.devices, [])
        XCTAssertEqual(config.sites, [:])
    }

    func testCommentsAndEmptyTablesAlsoGiveTheDefaults() throws {
        XCTAssertEqual(try load("# nothing here\n\n[mqtt]\n[detection]\n[sla]\n"), Configuration())
    }

    // MARK: a full configuration

    func testAFullValidConfigurationIsReadCompletely() throws {
        let config = try load(
            #"""
            [mqtt]
            host = "broker.district.local"
            port = 8883
            client_id = "fleetwatchd-2"
            topic_prefix = "district/library"
            username = "fleetwatch"
            password_file = "/etc/fleetwatch/mqtt.password"
            tls_ca_file = "/etc/ssl/district-ca.pem"
            tls_cert_file = "/etc/fleetwatch/client.pem"
            tls_key_file = "/etc/fleetwatch/client.key"
            keepalive_s = 15
            max_payload_bytes = 4096

            [storage]
            database = "/tmp/fw.db"
            alert_log = "/tmp/alerts.log"
            alert_log_format = "json"

            [control]
            socket = "/tmp/fw.sock"

            [metrics]
            listen = ""

            [detection]
            startup_grace_s = 1.5
            resolve_after_s = 0
            broker_down_p1_after_s = 120
            flap_window_s = 300
            flap_changes = 4
            max_devices = 500
            max_clock_skew_s = 30

            [escalation]
            site_offline_ratio = 1
            fleet_offline_ratio = 0.25
            repeat_failures = 5
            repeat_window_s = 3600
            group_wait_s = 0

            [sla]
            timezone = "Europe/Berlin"
            service_days = ["MON", "tue", "wed", "thu", "fri"]
            service_hours = ["13:00-24:00", "08:00-12:00"]
            holidays = ["2026-12-25", "2027-01-01"]
            respond_within_s = 3600
            p1_onsite_within_s = 7200
            p2_onsite_within_s = 172800

            [kinds.delivery-robot]
            interval_s = 5
            missed = 4
            core = false

            [[kinds.delivery-robot.rules]]
            name = "overheat"
            metric = "temp_c"
            above = 70.5
            for_s = 10
            priority = "p1"

            [kinds.book-drop]
            interval_s = 60

            [[kinds.book-drop.rules]]
            name = "bin-full"
            metric = "state"
            equals = "full"

            [[devices]]
            id = "robot-01"
            site = "tianshan"
            kind = "delivery-robot"
            name = "3F delivery robot"

            [[devices]]
            id = "drop-1"
            site = "central"
            kind = "book-drop"

            [sites.tianshan]
            name = "天山路街道图书馆"

            [sites.central]
            """#)

        var mqtt = MQTTSettings()
        mqtt.host = "broker.district.local"
        mqtt.port = 8883
        mqtt.clientID = "fleetwatchd-2"
        mqtt.topicPrefix = "district/library"
        mqtt.username = "fleetwatch"
        mqtt.passwordFile = "/etc/fleetwatch/mqtt.password"
        mqtt.tlsCAFile = "/etc/ssl/district-ca.pem"
        mqtt.tlsCertFile = "/etc/fleetwatch/client.pem"
        mqtt.tlsKeyFile = "/etc/fleetwatch/client.key"
        mqtt.keepaliveSeconds = 15
        mqtt.maxPayloadBytes = 4096
        XCTAssertEqual(config.mqtt, mqtt)

        XCTAssertEqual(config.storage.database, "/tmp/fw.db")
        XCTAssertEqual(config.storage.alertLog, "/tmp/alerts.log")
        XCTAssertEqual(config.storage.alertLogFormat, .json)
        XCTAssertEqual(config.control.socket, "/tmp/fw.sock")
        XCTAssertEqual(config.metrics.listen, "")

        var detection = DetectionSettings()
        detection.startupGraceSeconds = 1.5
        detection.resolveAfterSeconds = 0
        detection.brokerDownP1AfterSeconds = 120
        detection.flapWindowSeconds = 300
        detection.flapChanges = 4
        detection.maxDevices = 500
        detection.maxClockSkewSeconds = 30
        XCTAssertEqual(config.detection, detection)

        var escalation = EscalationSettings()
        escalation.siteOfflineRatio = 1
        escalation.fleetOfflineRatio = 0.25
        escalation.repeatFailures = 5
        escalation.repeatWindowSeconds = 3600
        escalation.groupWaitSeconds = 0
        XCTAssertEqual(config.escalation, escalation)

        XCTAssertEqual(config.sla.timezone, "Europe/Berlin")
        XCTAssertEqual(config.sla.serviceDays, [.mon, .tue, .wed, .thu, .fri])
        XCTAssertEqual(
            config.sla.serviceHours,
            [
                ServiceRange(startMinute: 480, endMinute: 720),
                ServiceRange(startMinute: 780, endMinute: 1440),
            ])
        XCTAssertEqual(config.sla.holidays, ["2026-12-25", "2027-01-01"])
        XCTAssertEqual(config.sla.respondWithinSeconds, 3600)
        XCTAssertEqual(config.sla.p1OnsiteWithinSeconds, 7200)
        XCTAssertEqual(config.sla.p2OnsiteWithinSeconds, 172_800)

        XCTAssertEqual(
            config.kinds["delivery-robot"],
            KindSettings(
                intervalSeconds: 5, missed: 4, core: false,
                rules: [
                    MetricRule(
                        name: "battery-low", metric: "battery_pct", condition: .below(15), forSeconds: 60, priority: .p2
                    ),
                    MetricRule(
                        name: "overheat", metric: "temp_c", condition: .above(70.5), forSeconds: 10, priority: .p1),
                ], errorCodes: ErrorCode.builtIn["delivery-robot"] ?? [:], forecasts: [.batteryForecast]))
        XCTAssertEqual(
            config.kinds["book-drop"],
            KindSettings(
                intervalSeconds: 60, missed: 3, core: false,
                rules: [
                    MetricRule(
                        name: "bin-full", metric: "state", condition: .equals(.string("full")), forSeconds: 0,
                        priority: .p2)
                ]))
        XCTAssertEqual(config.kinds["pickup-locker"], KindSettings.builtIn["pickup-locker"])
        XCTAssertEqual(
            config.devices,
            [
                InventoryDevice(id: "robot-01", site: "tianshan", kind: "delivery-robot", name: "3F delivery robot"),
                InventoryDevice(id: "drop-1", site: "central", kind: "book-drop"),
            ])
        XCTAssertEqual(config.sites, ["tianshan": SiteSettings(name: "天山路街道图书馆"), "central": SiteSettings()])
    }

    // MARK: rules

    func testAConfiguredRuleReplacesTheBuiltInOfTheSameNameAndOtherBuiltInsStay() throws {
        let config = try load(
            #"""
            [[kinds.digital-human.rules]]
            name = "camera-down"
            metric = "camera_ok"
            equals = false
            for_s = 5
            priority = "P1"

            [[kinds.digital-human.rules]]
            name = "idle"
            metric = "fps"
            below = 1
            for_s = 600
            """#)
        let human = try XCTUnwrap(config.kinds["digital-human"])
        XCTAssertEqual(
            human.rules,
            [
                MetricRule(
                    name: "camera-down", metric: "camera_ok", condition: .equals(.bool(false)), forSeconds: 5,
                    priority: .p1),
                MetricRule(
                    name: "display-down", metric: "display_ok", condition: .equals(.bool(false)), forSeconds: 60,
                    priority: .p2),
                MetricRule(name: "idle", metric: "fps", condition: .below(1), forSeconds: 600, priority: .p2),
            ])
        XCTAssertEqual(human.intervalSeconds, 30)
        // The face gate's rule of the same name is another kind's and stays as built in.
        XCTAssertEqual(config.kinds["face-gate"], KindSettings.builtIn["face-gate"])
    }

    func testAConfiguredForecastReplacesTheBuiltInOfTheSameNameAndOthersAreAdded() throws {
        XCTAssertEqual(try load("").kinds["delivery-robot"]?.forecasts, [.batteryForecast])
        XCTAssertEqual(try load("").kinds["face-gate"]?.forecasts, [])
        let config = try load(
            """
            [[kinds.delivery-robot.forecasts]]
            name = "battery-forecast"
            metric = "battery_pct"
            reaches = 20
            within_s = 600
            window_s = 300
            min_samples = 3
            priority = "p1"

            [[kinds.face-gate.forecasts]]
            name = "overheat-forecast"
            metric = "temp_c"
            reaches = 70
            direction = "rising"
            """)
        XCTAssertEqual(
            config.kinds["delivery-robot"]?.forecasts,
            [
                ForecastRule(
                    name: "battery-forecast", metric: "battery_pct", reaches: 20, direction: .falling,
                    withinSeconds: 600, windowSeconds: 300, minSamples: 3, priority: .p1)
            ])
        XCTAssertEqual(config.kinds["delivery-robot"]?.rules.map(\.name), ["battery-low"], "rules stay")
        XCTAssertEqual(
            config.kinds["face-gate"]?.forecasts,
            [
                ForecastRule(name: "overheat-forecast", metric: "temp_c", reaches: 70, direction: .rising)
            ])
    }

    func testHistoryDefaultsAndOff() throws {
        let defaults = try load("")
        XCTAssertEqual(defaults.storage.historyDays, 400)
        XCTAssertEqual(defaults.storage.historyIntervalSeconds, 60)
        XCTAssertEqual(defaults.storage.historyRawDays, 7)
        XCTAssertTrue(defaults.storage.historyEnabled)
        let off = try load("[storage]\nhistory_days = 0\nhistory_interval_s = 0.5")
        XCTAssertFalse(off.storage.historyEnabled)
        XCTAssertEqual(off.storage.historyIntervalSeconds, 0.5)
    }

    func testEqualsAcceptsNumbersBooleansAndStrings() throws {
        let config = try load(
            #"""
            [[kinds.face-gate.rules]]
            name = "a"
            metric = "m1"
            equals = 3
            [[kinds.face-gate.rules]]
            name = "b"
            metric = "m2"
            equals = 2.5
            [[kinds.face-gate.rules]]
            name = "c"
            metric = "m3"
            equals = true
            """#)
        let conditions = try XCTUnwrap(config.kinds["face-gate"]).rules.suffix(3).map(\.condition)
        XCTAssertEqual(conditions, [.equals(.number(3)), .equals(.number(2.5)), .equals(.bool(true))])
    }

    // MARK: service hours

    func testServiceHoursMayEndAtMidnightAndAreSorted() throws {
        let config = try load(
            #"""
            [sla]
            service_hours = ["18:00-24:00", "00:00-06:00", "06:00-12:00"]
            """#)
        XCTAssertEqual(
            config.sla.serviceHours,
            [
                ServiceRange(startMinute: 0, endMinute: 360),
                ServiceRange(startMinute: 360, endMinute: 720),
                ServiceRange(startMinute: 1080, endMinute: 1440),
            ])
        XCTAssertEqual(
            try load("[sla]\nservice_hours = [\"00:00-24:00\"]").sla.serviceHours,
            [ServiceRange(startMinute: 0, endMinute: 1440)])
    }

    func testOverlappingServiceHoursAreRejected() {
        XCTAssertEqual(
            problems(#"[sla]\#nservice_hours = ["09:00-12:00", "11:00-14:00"]"#),
            ["config: sla.service_hours has overlapping ranges"])
        XCTAssertEqual(
            problems(#"[sla]\#nservice_hours = ["13:00-22:00", "09:00-21:00"]"#),
            ["config: sla.service_hours has overlapping ranges"])
        XCTAssertEqual(
            problems(#"[sla]\#nservice_hours = ["09:00-12:00", "09:00-12:00"]"#),
            ["config: sla.service_hours has overlapping ranges"])
    }

    func testMalformedServiceHoursAreRejectedOneByOne() {
        for text in [
            "12:00-09:00", "09:00-09:00", "9:00-12:00", "09:00-24:01", "24:00-24:00", "09:60-10:00",
            "25:00-26:00", "09:00", "09:00-12:00-13:00", "0900-1200", "09:00 - 12:00", "", "ab:cd-ef:gh",
        ] {
            XCTAssertEqual(
                problems("[sla]\nservice_hours = [\"\(text)\"]"),
                ["config: sla.service_hours has \"\(text)\"; use HH:MM-HH:MM with start before end, end up to 24:00"],
                text)
        }
    }

    // MARK: one fixture per broken configuration

    private static let fixtures: [(toml: String, message: String)] = [
        (
            "[kinds.delivery-robot]\ninterval_s = -1",
            "config: kinds.delivery-robot.interval_s must be 0.1-86400 (got -1)"
        ),
        ("[kinds.delivery-robot]\ninterval_s = 0", "config: kinds.delivery-robot.interval_s must be 0.1-86400 (got 0)"),
        (
            "[kinds.delivery-robot]\ninterval_s = nan",
            "config: kinds.delivery-robot.interval_s must be 0.1-86400 (got nan)"
        ),
        (
            "[kinds.delivery-robot]\ninterval_s = \"10\"",
            "config: kinds.delivery-robot.interval_s must be a number (got string)"
        ),
        ("[kinds.pickup-locker]\nmissed = 0", "config: kinds.pickup-locker.missed must be 1-100 (got 0)"),
        (
            "[kinds.pickup-locker]\nmissed = 2.5",
            "config: kinds.pickup-locker.missed must be an integer (got floating-point number)"
        ),
        (
            "[kinds.pickup-locker]\ncore = \"yes\"",
            "config: kinds.pickup-locker.core must be true or false (got string)"
        ),
        (
            "[kinds.\"bad kind\"]\ninterval_s = 5",
            "config: kinds.bad kind is not a valid kind name ([A-Za-z0-9_-]{1,64})"
        ),
        ("kinds = 5", "config: kinds must be a table (got integer)"),
        ("[kinds]\nface-gate = 5", "config: kinds.face-gate must be a table"),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"",
            "config: kinds.face-gate.rules[0].below exactly one of below, above or equals must be set (got 0)"
        ),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nbelow = 1\nabove = 2",
            "config: kinds.face-gate.rules[0].below exactly one of below, above or equals must be set (got 2)"
        ),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nbelow = 1\npriority = \"P3\"",
            "config: kinds.face-gate.rules[0].priority must be \"P1\" or \"P2\" (got \"P3\")"
        ),
        (
            "[[kinds.face-gate.rules]]\nmetric = \"m\"\nbelow = 1",
            "config: kinds.face-gate.rules[0].name must be set ([A-Za-z0-9_-]{1,64})"
        ),
        ("[[kinds.face-gate.rules]]\nname = \"x\"\nbelow = 1", "config: kinds.face-gate.rules[0].metric must be set"),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nbelow = 1\nfor_s = -1",
            "config: kinds.face-gate.rules[0].for_s must be 0-604800 (got -1)"
        ),
        (
            "[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nbelow = \"low\"",
            "config: kinds.face-gate.rules[0].below must be a number (got string)"
        ),
        ("[kinds.face-gate]\nrules = 3", "config: kinds.face-gate.rules must be an array of tables (got integer)"),
        ("[mqtt]\nport = 70000", "config: mqtt.port must be 1-65535 (got 70000)"),
        ("[mqtt]\nport = 0", "config: mqtt.port must be 1-65535 (got 0)"),
        ("[mqtt]\nport = \"1883\"", "config: mqtt.port must be an integer (got string)"),
        ("[mqtt]\nhost = \"\"", "config: mqtt.host must not be empty"),
        (
            "[mqtt]\nclient_id = \"\"",
            "config: mqtt.client_id must not be empty (the persistent session is keyed by it)"
        ),
        (
            "[mqtt]\ntopic_prefix = \"library/#\"",
            "config: mqtt.topic_prefix must be a non-empty topic without wildcards or a leading/trailing '/' (got \"library/#\")"
        ),
        (
            "[mqtt]\ntopic_prefix = \"lib+\"",
            "config: mqtt.topic_prefix must be a non-empty topic without wildcards or a leading/trailing '/' (got \"lib+\")"
        ),
        (
            "[mqtt]\ntopic_prefix = \"/library\"",
            "config: mqtt.topic_prefix must be a non-empty topic without wildcards or a leading/trailing '/' (got \"/library\")"
        ),
        (
            "[mqtt]\ntopic_prefix = \"library/\"",
            "config: mqtt.topic_prefix must be a non-empty topic without wildcards or a leading/trailing '/' (got \"library/\")"
        ),
        (
            "[mqtt]\ntopic_prefix = \"\"",
            "config: mqtt.topic_prefix must be a non-empty topic without wildcards or a leading/trailing '/' (got \"\")"
        ),
        ("[mqtt]\npassword_file = \"/etc/pw\"", "config: mqtt.password_file is set but mqtt.username is empty"),
        (
            "[mqtt]\ntls_ca_file = \"ca.pem\"\ntls_key_file = \"k.pem\"",
            "config: mqtt.tls_cert_file must be set together with tls_key_file"
        ),
        ("[mqtt]\nkeepalive_s = 1", "config: mqtt.keepalive_s must be 5-65535 (got 1)"),
        ("[mqtt]\nmax_payload_bytes = 10", "config: mqtt.max_payload_bytes must be 64-268435455 (got 10)"),
        ("mqtt = 5", "config: mqtt must be a table (got integer)"),
        ("[storage]\ndatabase = \"\"", "config: storage.database must not be empty"),
        ("[storage]\nalert_log = \"\"", "config: storage.alert_log must not be empty"),
        (
            "[storage]\nalert_log_format = \"xml\"",
            "config: storage.alert_log_format must be \"text\" or \"json\" (got \"xml\")"
        ),
        ("[control]\nsocket = \"\"", "config: control.socket must not be empty"),
        (
            "[control]\nsocket = \"/\(String(repeating: "s", count: 107))\"",
            "config: control.socket must be at most 107 bytes (a Unix socket path)"
        ),
        ("[metrics]\nlisten = \"localhost\"", "config: metrics.listen must be HOST:PORT or \"\" (got \"localhost\")"),
        ("[metrics]\nlisten = \":9731\"", "config: metrics.listen must be HOST:PORT or \"\" (got \":9731\")"),
        (
            "[metrics]\nlisten = \"127.0.0.1:99999\"",
            "config: metrics.listen must be HOST:PORT or \"\" (got \"127.0.0.1:99999\")"
        ),
        ("[detection]\nstartup_grace_s = -5", "config: detection.startup_grace_s must be 0-86400 (got -5)"),
        ("[detection]\nresolve_after_s = \"30s\"", "config: detection.resolve_after_s must be a number (got string)"),
        (
            "[detection]\nbroker_down_p1_after_s = 0",
            "config: detection.broker_down_p1_after_s must be > 0 and <= 86400 (got 0)"
        ),
        ("[detection]\nflap_window_s = -0.5", "config: detection.flap_window_s must be > 0 and <= 604800 (got -0.5)"),
        ("[detection]\nflap_changes = 1", "config: detection.flap_changes must be 2-1000 (got 1)"),
        ("[detection]\nmax_devices = 0", "config: detection.max_devices must be 1-10000000 (got 0)"),
        ("[detection]\nmax_clock_skew_s = 0", "config: detection.max_clock_skew_s must be > 0 and <= 86400 (got 0)"),
        (
            "[escalation]\nsite_offline_ratio = 1.5",
            "config: escalation.site_offline_ratio must be > 0 and <= 1 (got 1.5)"
        ),
        (
            "[escalation]\nfleet_offline_ratio = 0",
            "config: escalation.fleet_offline_ratio must be > 0 and <= 1 (got 0)"
        ),
        ("[escalation]\nrepeat_failures = 1", "config: escalation.repeat_failures must be 2-1000 (got 1)"),
        ("[escalation]\nrepeat_window_s = 0", "config: escalation.repeat_window_s must be > 0 and <= 31536000 (got 0)"),
        ("[escalation]\ngroup_wait_s = -1", "config: escalation.group_wait_s must be 0-3600 (got -1)"),
        ("[report]\nlanguage = \"zh\"", "config: report.language must be \"zh-CN\" or \"en\" (got \"zh\")"),
        ("[report]\nlanguage = 1", "config: report.language must be a string (got integer)"),
        ("[report]\nformat = \"pdf\"", "config: report.format is not a known key"),
        (
            "[sla]\ntimezone = \"Mars/Olympus\"",
            "config: sla.timezone must be an IANA time zone name like Asia/Shanghai (got \"Mars/Olympus\")"
        ),
        (
            "[sla]\nservice_days = [\"mon\", \"funday\"]",
            "config: sla.service_days has \"funday\"; use mon, tue, wed, thu, fri, sat, sun"
        ),
        ("[sla]\nservice_days = [\"mon\", \"Mon\"]", "config: sla.service_days lists \"Mon\" twice"),
        ("[sla]\nservice_days = \"mon\"", "config: sla.service_days must be an array of strings (got string)"),
        ("[sla]\nservice_hours = [9]", "config: sla.service_hours[0] must be a string (got integer)"),
        ("[sla]\nholidays = [\"2026-13-01\"]", "config: sla.holidays has \"2026-13-01\"; use YYYY-MM-DD"),
        ("[sla]\nholidays = [\"26-12-25\"]", "config: sla.holidays has \"26-12-25\"; use YYYY-MM-DD"),
        ("[sla]\nrespond_within_s = 0", "config: sla.respond_within_s must be > 0 and <= 604800 (got 0)"),
        ("[sla]\np1_onsite_within_s = -1", "config: sla.p1_onsite_within_s must be > 0 and <= 604800 (got -1)"),
        ("[sla]\np2_onsite_within_s = true", "config: sla.p2_onsite_within_s must be a number (got bool)"),
        (
            "[[devices]]\nid = \"robot 01\"\nsite = \"s\"\nkind = \"delivery-robot\"",
            "config: devices[0].id must match [A-Za-z0-9_-]{1,64} (got \"robot 01\")"
        ),
        (
            "[[devices]]\nid = \"r1\"\nkind = \"delivery-robot\"",
            "config: devices[0].site must match [A-Za-z0-9_-]{1,64} (got \"\")"
        ),
        (
            "[[devices]]\nid = \"r1\"\nsite = \"s\"\nkind = \"teapot\"",
            "config: devices[0].kind \"teapot\" is not a configured kind"
        ),
        (
            "[[devices]]\nid = \"r1\"\nsite = \"s\"\nkind = \"delivery-robot\"\n[[devices]]\nid = \"r1\"\nsite = \"t\"\nkind = \"face-gate\"",
            "config: devices[1].id \"r1\" is listed twice; device ids are unique across the fleet"
        ),
        (
            "[[devices]]\nid = \"r1\"\nsite = \"s\"\nkind = \"delivery-robot\"\nname = 3",
            "config: devices[0].name must be a string (got integer)"
        ),
        ("devices = \"r1\"", "config: devices must be an array of tables (got string)"),
        ("devices = [1]", "config: devices[0] must be a table (got integer)"),
        ("[sites.tianshan]\nname = 5", "config: sites.tianshan.name must be a string (got integer)"),
        ("[sites.\"bad site\"]", "config: sites.bad site is not a valid site id ([A-Za-z0-9_-]{1,64})"),
        // History and forecasts (issue 15).
        ("[storage]\nhistory_days = -1", "config: storage.history_days must be 0-3650 (got -1)"),
        (
            "[storage]\nhistory_days = 1.5",
            "config: storage.history_days must be an integer (got floating-point number)"
        ),
        ("[storage]\nhistory_interval_s = 0", "config: storage.history_interval_s must be 0.1-86400 (got 0)"),
        ("[storage]\nhistory_raw_days = 0", "config: storage.history_raw_days must be 1-3650 (got 0)"),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nmetric = \"battery_pct\"",
            "config: kinds.delivery-robot.forecasts[0].reaches must be set"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nmetric = \"battery_pct\"\nreaches = 15",
            "config: kinds.delivery-robot.forecasts[0].name must be set ([A-Za-z0-9_-]{1,64})"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nreaches = 15",
            "config: kinds.delivery-robot.forecasts[0].metric must be set"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = \"low\"",
            "config: kinds.delivery-robot.forecasts[0].reaches must be a number (got string)"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 15\ndirection = \"down\"",
            "config: kinds.delivery-robot.forecasts[0].direction must be \"falling\" or \"rising\" (got \"down\")"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 15\nwithin_s = 0",
            "config: kinds.delivery-robot.forecasts[0].within_s must be > 0 and <= 604800 (got 0)"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 15\nwindow_s = -1",
            "config: kinds.delivery-robot.forecasts[0].window_s must be > 0 and <= 604800 (got -1)"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 15\nmin_samples = 1",
            "config: kinds.delivery-robot.forecasts[0].min_samples must be 2-1000 (got 1)"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 15\npriority = \"P0\"",
            "config: kinds.delivery-robot.forecasts[0].priority must be \"P1\" or \"P2\" (got \"P0\")"
        ),
        (
            "[[kinds.delivery-robot.forecasts]]\nname = \"battery-low\"\nmetric = \"m\"\nreaches = 15",
            "config: kinds.delivery-robot.forecasts[0].name \"battery-low\" is already a rule; a forecast needs a name of its own"
        ),
        (
            "[[kinds.face-gate.forecasts]]\nname = \"offline\"\nmetric = \"m\"\nreaches = 15",
            "config: kinds.face-gate.forecasts[0].name \"offline\" is already a rule; a forecast needs a name of its own"
        ),
        (
            "[[kinds.pickup-locker.forecasts]]\nname = \"data-loss\"\nmetric = \"m\"\nreaches = 15",
            "config: kinds.pickup-locker.forecasts[0].name \"data-loss\" is already a rule; a forecast needs a name of its own"
        ),
        (
            "[[kinds.face-gate.forecasts]]\nname = \"error\"\nmetric = \"m\"\nreaches = 15",
            "config: kinds.face-gate.forecasts[0].name \"error\" is already a rule; a forecast needs a name of its own"
        ),
        (
            "[[kinds.face-gate.forecasts]]\nname = \"f\"\nmetric = \"m\"\nreaches = 15\nwindow = 60",
            "config: kinds.face-gate.forecasts[0].window is not a known key"
        ),
    ]

    func testEveryBrokenFixtureReportsExactlyItsProblem() {
        for fixture in Self.fixtures {
            XCTAssertEqual(problems(fixture.toml), [fixture.message], fixture.toml)
        }
    }

    func testAClientCertificateNeedsItsKeyAndACA() {
        XCTAssertEqual(
            problems("[mqtt]\ntls_cert_file = \"c.pem\""),
            [
                "config: mqtt.tls_key_file must be set together with tls_cert_file",
                "config: mqtt.tls_ca_file must be set when a client certificate is used",
            ])
    }

    func testARuleWithAnUnusableEqualsValueIsReported() {
        XCTAssertEqual(
            problems("[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nequals = [1]"),
            [
                "config: kinds.face-gate.rules[0].equals must be a number, boolean or string",
                "config: kinds.face-gate.rules[0].below exactly one of below, above or equals must be set (got 0)",
            ])
    }

    func testASyntaxErrorNamesItsLine() throws {
        let messages = problems("[mqtt]\nport = 1883\n[storage\n")
        XCTAssertEqual(messages.count, 1)
        XCTAssertTrue(try XCTUnwrap(messages.first).hasPrefix("config: (syntax) line 3, column "), "\(messages)")
    }

    // MARK: unknown keys

    func testUnknownKeysAreRejectedWhereverTheyAre() {
        XCTAssertEqual(problems("foo = 1"), ["config: foo is not a known key"])
        XCTAssertEqual(problems("[mqtt]\nhots = \"x\""), ["config: mqtt.hots is not a known key"])
        XCTAssertEqual(
            problems("[detection]\nstartup_grace = 5"), ["config: detection.startup_grace is not a known key"])
        XCTAssertEqual(problems("[sla]\ntime_zone = \"UTC\""), ["config: sla.time_zone is not a known key"])
        XCTAssertEqual(problems("[control]\nsock = \"/x\""), ["config: control.sock is not a known key"])
        XCTAssertEqual(problems("[metrics]\nport = 1"), ["config: metrics.port is not a known key"])
        XCTAssertEqual(
            problems("[kinds.delivery-robot]\nintervall_s = 5"),
            ["config: kinds.delivery-robot.intervall_s is not a known key"])
        XCTAssertEqual(
            problems("[[kinds.face-gate.rules]]\nname = \"x\"\nmetric = \"m\"\nbelow = 1\nfor = 3"),
            ["config: kinds.face-gate.rules[0].for is not a known key"])
        XCTAssertEqual(
            problems("[[devices]]\nid = \"r1\"\nsite = \"s\"\nkind = \"face-gate\"\ncolour = \"red\""),
            ["config: devices[0].colour is not a known key"])
        XCTAssertEqual(
            problems("[sites.tianshan]\naddress = \"x\""), ["config: sites.tianshan.address is not a known key"])
        XCTAssertEqual(problems("[device]\nid = \"r1\""), ["config: device is not a known key"])
    }

    // MARK: several problems at once

    func testEveryProblemIsReportedAtOnceInFileOrder() {
        let toml = #"""
            typo = true

            [mqtt]
            port = 0
            keepalive_s = 1

            [detection]
            startup_grace_s = -1

            [sla]
            timezone = "Nowhere/Town"
            service_hours = ["09:00-13:00", "12:00-22:00"]

            [kinds.delivery-robot]
            interval_s = -1

            [[devices]]
            id = "r1"
            site = "s"
            kind = "teapot"
            """#
        let expected = [
            "config: mqtt.port must be 1-65535 (got 0)",
            "config: mqtt.keepalive_s must be 5-65535 (got 1)",
            "config: detection.startup_grace_s must be 0-86400 (got -1)",
            "config: sla.timezone must be an IANA time zone name like Asia/Shanghai (got \"Nowhere/Town\")",
            "config: sla.service_hours has overlapping ranges",
            "config: kinds.delivery-robot.interval_s must be 0.1-86400 (got -1)",
            "config: devices[0].kind \"teapot\" is not a configured kind",
            "config: typo is not a known key",
        ]
        XCTAssertEqual(problems(toml), expected)
        do {
            _ = try ConfigurationLoader.parse(toml)
        } catch {
            XCTAssertEqual(error.description, expected.joined(separator: "\n"))
        }
    }

    func testInventoryMayUseAKindConfiguredInTheSameFile() throws {
        let config = try load("[kinds.book-drop]\n[[devices]]\nid = \"d1\"\nsite = \"s\"\nkind = \"book-drop\"")
        XCTAssertEqual(config.devices.map(\.kind), ["book-drop"])
        XCTAssertEqual(config.kinds["book-drop"], KindSettings())
    }

    func testListenAddressesSplitAtTheLastColon() {
        XCTAssertEqual(ListenAddress("127.0.0.1:9731")?.host, "127.0.0.1")
        XCTAssertEqual(ListenAddress("127.0.0.1:9731")?.port, 9731)
        XCTAssertNotEqual(ListenAddress("127.0.0.1:9731"), ListenAddress("127.0.0.1:9732"))
        XCTAssertEqual(ListenAddress("[::1]:9731")?.host, "[::1]")
        XCTAssertEqual(ListenAddress("0.0.0.0:0")?.port, 0)
        XCTAssertNil(ListenAddress("host:"))
        XCTAssertNil(ListenAddress("host:-1"))
    }

    /// Only what the metrics server can bind passes `--check-config`; before, `[::1]:9731` passed
    /// and the daemon then ran without its endpoint.
    func testMetricsListenMustBeIPv4OrLocalhost() throws {
        for ok in ["127.0.0.1:9731", "0.0.0.0:0", "localhost:9731", ""] {
            XCTAssertEqual(try load("[metrics]\nlisten = \"\(ok)\"").metrics.listen, ok)
        }
        for bad in ["[::1]:9731", "myhost:9731", "127.0.0.256:9731", "1.2.3:9731"] {
            let found = problems("[metrics]\nlisten = \"\(bad)\"")
            XCTAssertEqual(found.count, 1, bad)
            XCTAssertTrue(
                found.first?.hasPrefix("config: metrics.listen must be an IPv4 address or localhost") ?? false,
                "\(bad): \(found)")
        }
    }

    /// SPEC §4: durations allow fractions; MQTT's keepalive is whole seconds, so it rounds up.
    func testKeepaliveTakesAFractionRoundedUp() throws {
        XCTAssertEqual(try load("[mqtt]\nkeepalive_s = 7.5").mqtt.keepaliveSeconds, 8)
        XCTAssertEqual(try load("[mqtt]\nkeepalive_s = 30").mqtt.keepaliveSeconds, 30)
        XCTAssertEqual(problems("[mqtt]\nkeepalive_s = 4.5"), ["config: mqtt.keepalive_s must be 5-65535 (got 4.5)"])
    }

    /// Unreadable referenced files are listed with every other problem, not after them.
    func testReferencedFilesAreCheckedTogetherWithTheRest() {
        do {
            _ = try ConfigurationLoader.parse(
                "[mqtt]\nport = 0\nusername = \"fw\"\npassword_file = \"/nonexistent/pw\"",
                checkingFiles: true)
            XCTFail("accepted")
        } catch {
            XCTAssertEqual(error.problems.map(\.key), ["mqtt.port", "mqtt.password_file"])
        }
        XCTAssertNoThrow(
            try ConfigurationLoader.parse("[mqtt]\nusername = \"fw\"\npassword_file = \"/nonexistent/pw\""),
            "the CLI does not read the daemon's secrets")
    }

    /// A directory is not a password or CA file, even though it is "readable"; an MQTT client id
    /// longer than an MQTT string can carry is refused before libmosquitto fails on it.
    func testReferencedFilesMustBeRegularFilesAndTheClientIDFitsMQTT() {
        do {
            _ = try ConfigurationLoader.parse(
                "[mqtt]\nusername = \"fw\"\npassword_file = \"/tmp\"\ntls_ca_file = \"/\"",
                checkingFiles: true)
            XCTFail("accepted")
        } catch {
            XCTAssertEqual(error.problems.map(\.key), ["mqtt.password_file", "mqtt.tls_ca_file"])
        }
        let long = String(repeating: "c", count: 70_000)
        XCTAssertEqual(
            problems("[mqtt]\nclient_id = \"\(long)\""),
            ["config: mqtt.client_id must be at most 65535 bytes (an MQTT string)"])
    }
}
