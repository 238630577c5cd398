import XCTest

@testable import FleetConfig
@testable import FleetCore

/// `[[notify]]` and `[sla] warn_before_s` (SPEC §14): what is accepted, and one fixture per broken
/// value with its exact message, as `--check-config` prints it.
final class NotifyConfigurationTests: XCTestCase {
    private func problems(_ toml: String, checkingFiles: Bool = false) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(toml, checkingFiles: checkingFiles)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    private let webhook = "[[notify]]\nname = \"oncall\"\nurl = \"https://hooks.example/fleetwatch\"\n"

    func testAFullChannelOfEachTypeLoads() throws {
        let config = try ConfigurationLoader.parse(
            """
            [sla]
            warn_before_s = 600
            [[notify]]
            name = "oncall"
            type = "webhook"
            url = "https://hooks.example/fleetwatch"
            format = "wecom"
            events = ["OPEN", "sla-warning"]
            priorities = ["p1"]
            sites = ["tianshan"]
            timeout_s = 2.5
            [[notify]]
            name = "am"
            type = "alertmanager"
            url = "http://127.0.0.1:9093"
            resend_s = 30
            [[notify]]
            name = "pager"
            type = "command"
            command = ["/bin/cat", "-u"]
            """)
        XCTAssertEqual(config.sla.warnBeforeSeconds, 600)
        XCTAssertEqual(config.notify.map(\.name), ["oncall", "am", "pager"])
        let oncall = config.notify[0]
        XCTAssertEqual(oncall.format, .wecom)
        XCTAssertEqual(oncall.events, [.open, .slaWarning])
        XCTAssertEqual(oncall.priorities, [.p1])
        XCTAssertEqual(oncall.sites, ["tianshan"])
        XCTAssertEqual(oncall.timeoutSeconds, 2.5)
        XCTAssertEqual(config.notify[1].type, .alertmanager)
        XCTAssertEqual(config.notify[1].resendSeconds, 30)
        XCTAssertEqual(config.notify[2].command, ["/bin/cat", "-u"])
    }

    func testTheDefaultsAreTheSpecs() throws {
        let channel = try XCTUnwrap(ConfigurationLoader.parse(webhook).notify.first)
        XCTAssertEqual(channel.type, .webhook)
        XCTAssertEqual(channel.format, .json)
        XCTAssertEqual(channel.events.map(\.rawValue), ["OPEN", "ESCALATE", "SLA-WARNING", "SLA-BREACH", "RESOLVE"])
        XCTAssertEqual(channel.priorities, [.p1, .p2])
        XCTAssertEqual(channel.sites, [])
        XCTAssertEqual(channel.timeoutSeconds, 10)
        XCTAssertEqual(channel.resendSeconds, 60)
        XCTAssertEqual(Configuration().sla.warnBeforeSeconds, 1800)
    }

    private static let fixtures: [(toml: String, message: String)] = [
        ("[sla]\nwarn_before_s = -1", "config: sla.warn_before_s must be 0-604800 (got -1)"),
        ("[sla]\nwarn_before_s = 604801", "config: sla.warn_before_s must be 0-604800 (got 604801)"),
        ("[[notify]]\nurl = \"http://x\"", "config: notify[0].name must match [A-Za-z0-9_-]{1,64} (got \"\")"),
        (
            "[[notify]]\nname = \"on call\"\nurl = \"http://x\"",
            "config: notify[0].name must match [A-Za-z0-9_-]{1,64} (got \"on call\")"
        ),
        (
            "[[notify]]\nname = \"a\"\ntype = \"email\"\nurl = \"http://x\"",
            "config: notify[0].type must be \"webhook\", \"alertmanager\" or \"command\" (got \"email\")"
        ),
        ("[[notify]]\nname = \"a\"", "config: notify[0].url must be set (an http:// or https:// URL)"),
        (
            "[[notify]]\nname = \"a\"\nurl = \"ftp://x/y\"",
            "config: notify[0].url must be an http:// or https:// URL (got \"ftp://x/y\")"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"hooks.example/x?key=s3cret\"",
            "config: notify[0].url must be an http:// or https:// URL (got \"hooks.example/x?key=***\")"
        ),
        ("[[notify]]\nname = \"a\"\nurl = \"https:///x\"", "config: notify[0].url has no host (got \"https:///x\")"),
        ("[[notify]]\nname = \"a\"\nurl = \"https://h/x#top\"", "config: notify[0].url must not have a #fragment"),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\nformat = \"slack\"",
            "config: notify[0].format must be \"json\", \"wecom\" or \"dingtalk\" (got \"slack\")"
        ),
        (
            "[[notify]]\nname = \"a\"\ntype = \"alertmanager\"\nurl = \"http://x\"\nformat = \"wecom\"",
            "config: notify[0].format is only for type = \"webhook\" channels"
        ),
        (
            "[[notify]]\nname = \"a\"\ntype = \"command\"",
            "config: notify[0].command must name the program to run, e.g. [\"/usr/local/bin/page-oncall\"]"
        ),
        (
            "[[notify]]\nname = \"a\"\ntype = \"command\"\ncommand = [\"/bin/cat\"]\nurl = \"http://x\"",
            "config: notify[0].url is only for webhook and alertmanager channels"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\ncommand = [\"/bin/cat\"]",
            "config: notify[0].command is only for type = \"command\" channels"
        ),
        (
            "[[notify]]\nname = \"a\"\ntype = \"command\"\ncommand = \"/bin/cat\"",
            "config: notify[0].command must be an array of strings (got string)"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\nevents = [\"OPEN\", \"CLOSE\"]",
            "config: notify[0].events has \"CLOSE\"; use OPEN, ESCALATE, UPDATE, FLAPPING, ACK, DISPATCH, ARRIVE, NOTE, "
                + "RESOLVE, SLA-BREACH, PARTS, PLAN, SLA-WARNING"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\nevents = [\"OPEN\", \"open\"]",
            "config: notify[0].events lists \"open\" twice"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\nevents = []",
            "config: notify[0].events must list at least one event (a channel told nothing is no channel)"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\npriorities = [\"P3\"]",
            "config: notify[0].priorities has \"P3\"; use P1, P2"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\npriorities = []",
            "config: notify[0].priorities must list at least one priority"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\nsites = [\"a/b\"]",
            "config: notify[0].sites has \"a/b\", which is not a site id ([A-Za-z0-9_-]{1,64})"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\ntimeout_s = 0",
            "config: notify[0].timeout_s must be > 0 and <= 300 (got 0)"
        ),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\nresend_s = 3601",
            "config: notify[0].resend_s must be > 0 and <= 3600 (got 3601)"
        ),
        ("[[notify]]\nname = \"a\"\nurl = \"http://x\"\nretries = 3", "config: notify[0].retries is not a known key"),
        (
            "[[notify]]\nname = \"a\"\nurl = \"http://x\"\n[[notify]]\nname = \"a\"\nurl = \"http://y\"",
            "config: notify[1].name \"a\" is used twice; channel names are unique"
        ),
        ("notify = 3", "config: notify must be an array of tables (got integer)"),
    ]

    func testEveryBrokenFixtureReportsExactlyItsProblem() {
        for fixture in Self.fixtures {
            XCTAssertEqual(problems(fixture.toml), [fixture.message], fixture.toml)
        }
    }

    func testTheCheckNamesAMissingOrEmptySecretAndAMissingProgram() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("notify-config-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data("\n".utf8))
        let missing = dir.appendingPathComponent("missing").path
        let toml = """
            [[notify]]
            name = "a"
            url = "http://x"
            secret_file = "\(missing)"
            [[notify]]
            name = "b"
            url = "http://x"
            secret_file = "\(empty)"
            [[notify]]
            name = "c"
            type = "command"
            command = ["no-such-program-fleetwatch"]
            [[notify]]
            name = "d"
            type = "command"
            command = ["cat"]
            """
        XCTAssertEqual(problems(toml), [], "files are checked only when asked (the daemon, --check-config)")
        XCTAssertEqual(
            problems(toml, checkingFiles: true),
            [
                "config: notify[0].secret_file names \(missing), which is missing or not readable",
                "config: notify[1].secret_file names \(empty), which holds no secret (empty)",
                "config: notify[2].command names no-such-program-fleetwatch, which is not an executable file (nor on PATH)",
            ])
    }

    func testTheSecretIsTheFileWithoutItsTrailingNewline() {
        XCTAssertEqual(NotifySecret.strip(Array("s3cret\n".utf8)), Array("s3cret".utf8))
        XCTAssertEqual(NotifySecret.strip(Array("s3cret\r\n".utf8)), Array("s3cret".utf8))
        XCTAssertEqual(NotifySecret.strip(Array("s3cret".utf8)), Array("s3cret".utf8))
        XCTAssertEqual(NotifySecret.strip(Array("s3cret\n\n".utf8)), Array("s3cret\n".utf8), "only one newline")
    }

    func testURLCredentialsAreRedacted() {
        XCTAssertEqual(
            NotifyRedaction.url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***")
        XCTAssertEqual(
            NotifyRedaction.url("https://user:pw@am.example:9093/x?a=1&b&c=2#f"),
            "https://***@am.example:9093/x?a=***&b&c=***#f")
        XCTAssertEqual(NotifyRedaction.url("http://127.0.0.1:8080/hook"), "http://127.0.0.1:8080/hook")
        XCTAssertEqual(
            NotifyRedaction.message("POST https://h/x?token=abc failed", url: "https://h/x?token=abc"),
            "POST https://h/x?token=*** failed")
    }
}
