import XCTest

@testable import FleetConfig
@testable import FleetCore

/// `[schedules.NAME]`, `[sites.ID] schedule`, `[kinds.NAME] off_hours` and `wake_grace_s`
/// (SPEC §10): what a valid file gives, and one fixture per broken value with its exact message.
final class ScheduleConfigurationTests: XCTestCase {
    private func problems(_ toml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(toml)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    func testTheSpecExampleIsReadCompletely() throws {
        let config = try ConfigurationLoader.parse(
            """
            [schedules.branch]
            days = ["mon","tue","wed","thu","fri","sat","sun"]
            hours = ["09:00-12:00", "12:00:30-21:00"]
            holidays = ["2027-02-17"]

            [sites.tianshan]
            name = "天山路街道图书馆"
            schedule = "branch"

            [kinds.digital-human]
            off_hours = "sleep"
            wake_grace_s = 900
            """)
        XCTAssertEqual(
            config.schedules["branch"],
            ScheduleSettings(
                days: Weekday.allCases,
                hours: [
                    DailyRange(start: 9 * 3600, end: 12 * 3600), DailyRange(start: 12 * 3600 + 30, end: 21 * 3600),
                ],
                holidays: ["2027-02-17"]))
        XCTAssertEqual(config.sites["tianshan"]?.schedule, "branch")
        XCTAssertEqual(config.kinds["digital-human"]?.offHours, .sleep)
        XCTAssertEqual(config.kinds["digital-human"]?.wakeGraceSeconds, 900)
        XCTAssertEqual(config.kinds["digital-human"]?.rules.count, 2, "built-in rules stay")
    }

    func testDefaultsWatchEveryKindAroundTheClockAndAnEmptyScheduleIsAlwaysOpen() throws {
        let config = try ConfigurationLoader.parse("[schedules.open]\n[sites.s]\nschedule = \"open\"")
        XCTAssertEqual(config.schedules["open"], ScheduleSettings())
        XCTAssertEqual(ScheduleSettings().hours, [DailyRange(start: 0, end: 86_400)])
        for kind in config.kinds.values {
            XCTAssertEqual(kind.offHours, .monitor)
            XCTAssertEqual(kind.wakeGraceSeconds, 900)
        }
        XCTAssertNil(try ConfigurationLoader.parse("[sites.s]\nname = \"x\"").sites["s"]?.schedule)
    }

    func testHoursMayEndAtMidnightAndAreSorted() throws {
        let config = try ConfigurationLoader.parse(#"[schedules.late]\#nhours = ["18:00-24:00", "00:00-02:00"]"#)
        XCTAssertEqual(
            config.schedules["late"]?.hours,
            [
                DailyRange(start: 0, end: 7200),
                DailyRange(start: 64_800, end: 86_400),
            ])
    }

    static let fixtures: [(toml: String, message: String)] = [
        (
            "[sites.tianshan]\nschedule = \"branch\"",
            "config: sites.tianshan.schedule names no schedule \"branch\" (no [schedules.NAME] is configured)"
        ),
        (
            "[schedules.branch]\n[schedules.night]\n[sites.tianshan]\nschedule = \"brnch\"",
            "config: sites.tianshan.schedule names no schedule \"brnch\" (configured: branch, night)"
        ),
        ("[sites.tianshan]\nschedule = 3", "config: sites.tianshan.schedule must be a string (got integer)"),
        (
            #"[schedules.branch]\#nhours = ["09:00-13:00", "12:00-21:00"]"#,
            "config: schedules.branch.hours has overlapping ranges \"09:00-13:00\" and \"12:00-21:00\""
        ),
        (
            #"[schedules.branch]\#nhours = ["09:00-09:00"]"#,
            "config: schedules.branch.hours has \"09:00-09:00\", an empty range"
        ),
        (
            #"[schedules.branch]\#nhours = ["21:00-09:00"]"#,
            "config: schedules.branch.hours has \"21:00-09:00\", which ends before it starts; a range ends on its own day "
                + "(up to 24:00): write \"21:00-24:00\" and \"00:00-09:00\""
        ),
        (
            #"[schedules.branch]\#nhours = ["21:00-00:00"]"#,
            "config: schedules.branch.hours has \"21:00-00:00\", which ends before it starts; a range ends on its own day "
                + "(up to 24:00): write \"21:00-24:00\""
        ),
        (
            #"[schedules.branch]\#nhours = ["9:00-21:00"]"#,
            "config: schedules.branch.hours has \"9:00-21:00\"; use HH:MM-HH:MM or HH:MM:SS-HH:MM:SS, end up to 24:00"
        ),
        (
            #"[schedules.branch]\#nhours = ["09:00-24:01"]"#,
            "config: schedules.branch.hours has \"09:00-24:01\"; use HH:MM-HH:MM or HH:MM:SS-HH:MM:SS, end up to 24:00"
        ),
        (
            #"[schedules.branch]\#nhours = ["09:00:60-21:00"]"#,
            "config: schedules.branch.hours has \"09:00:60-21:00\"; use HH:MM-HH:MM or HH:MM:SS-HH:MM:SS, end up to 24:00"
        ),
        (
            #"[schedules.branch]\#nhours = []"#,
            "config: schedules.branch.hours must list at least one range (a schedule that is never open keeps its sites closed)"
        ),
        (
            #"[schedules.branch]\#nhours = "09:00-21:00""#,
            "config: schedules.branch.hours must be an array of strings (got string)"
        ),
        (
            #"[schedules.branch]\#ndays = ["mon", "Mo"]"#,
            "config: schedules.branch.days has \"Mo\"; use mon, tue, wed, thu, fri, sat, sun"
        ),
        (#"[schedules.branch]\#ndays = ["mon", "mon"]"#, "config: schedules.branch.days lists \"mon\" twice"),
        (
            #"[schedules.branch]\#ndays = []"#,
            "config: schedules.branch.days must list at least one day (a schedule that never opens keeps its sites closed)"
        ),
        (
            #"[schedules.branch]\#nholidays = ["2027-02-30"]"#,
            "config: schedules.branch.holidays has \"2027-02-30\"; use YYYY-MM-DD"
        ),
        (
            #"[schedules.branch]\#nholidays = ["17.02.2027"]"#,
            "config: schedules.branch.holidays has \"17.02.2027\"; use YYYY-MM-DD"
        ),
        ("[schedules.branch]\nopens = \"09:00\"", "config: schedules.branch.opens is not a known key"),
        (
            "[schedules.\"main branch\"]",
            "config: schedules.main branch is not a valid schedule name ([A-Za-z0-9_-]{1,64})"
        ),
        ("schedules = 1", "config: schedules must be a table (got integer)"),
        (
            "[kinds.digital-human]\noff_hours = \"off\"",
            "config: kinds.digital-human.off_hours must be \"monitor\" or \"sleep\" (got \"off\")"
        ),
        (
            "[kinds.digital-human]\nwake_grace_s = -1",
            "config: kinds.digital-human.wake_grace_s must be 0-86400 (got -1)"
        ),
        (
            "[kinds.digital-human]\nwake_grace_s = 86401",
            "config: kinds.digital-human.wake_grace_s must be 0-86400 (got 86401)"
        ),
        (
            "[kinds.digital-human]\nwake_grace_s = \"15m\"",
            "config: kinds.digital-human.wake_grace_s must be a number (got string)"
        ),
    ]

    func testEveryBrokenFixtureReportsExactlyItsProblem() {
        for fixture in Self.fixtures {
            XCTAssertEqual(problems(fixture.toml), [fixture.message], fixture.toml)
        }
    }

    /// `--check-config` names every problem at once, schedules and sites together.
    func testEveryScheduleProblemIsNamedAtOnce() {
        XCTAssertEqual(
            problems(
                """
                [schedules.branch]
                days = ["mon", "funday"]
                hours = ["09:00-12:00", "11:00-13:00", "22:00-06:00"]
                holidays = ["2027-13-01"]
                [sites.a]
                schedule = "nope"
                [kinds.digital-human]
                wake_grace_s = -5
                """),
            [
                "config: schedules.branch.days has \"funday\"; use mon, tue, wed, thu, fri, sat, sun",
                "config: schedules.branch.hours has \"22:00-06:00\", which ends before it starts; a range ends on its own "
                    + "day (up to 24:00): write \"22:00-24:00\" and \"00:00-06:00\"",
                "config: schedules.branch.hours has overlapping ranges \"09:00-12:00\" and \"11:00-13:00\"",
                "config: schedules.branch.holidays has \"2027-13-01\"; use YYYY-MM-DD",
                "config: kinds.digital-human.wake_grace_s must be 0-86400 (got -5)",
                "config: sites.a.schedule names no schedule \"nope\" (configured: branch)",
            ])
    }
}
