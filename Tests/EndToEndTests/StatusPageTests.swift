import Foundation
import XCTest

/// SPEC §16 through the real broker and daemon: the status page names the site, its devices and
/// the open incident; each read API path answers exactly what the CLI's `--json` prints; unknown
/// paths 404, other methods 405 and change nothing; a token file guards everything but /healthz.
final class StatusPageTests: EndToEndTestCase {
    var port = 0

    /// One site of four devices under its display name, heartbeats every second; the robot is
    /// killed at t=2 (its last will: offline at once).
    func startFleet(language: String = "zh-CN", extraMetrics: String = "") throws {
        port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        metricsExtra = extraMetrics
        try writeConfig(
            grace: 2, resolveAfter: 30,
            extra: """
                [schedules.allday]
                hours = ["00:00-24:00"]

                [sites.site01]
                name = "天山路街道图书馆"
                schedule = "allday"

                [report]
                language = "\(language)"

                [[notify]]
                name = "desk"
                type = "command"
                command = ["/bin/sh", "-c", "cat > /dev/null"]
                """)
        try startDaemon()
        try startSim(["--sites", "1", "--interval", "1", "--at", "2:kill:robot-site01-01"])
        XCTAssertTrue(try waitUntil(15) { try deviceState("robot-site01-01") == "offline" })
        XCTAssertTrue(try waitUntil(10) { try openIncidents().count == 1 })
    }

    func testThePageNamesTheSiteItsDevicesAndTheOpenIncident() throws {
        try startFleet()
        let incident = try XCTUnwrap(openIncidents().first)
        let page = try HTTPAnswer.get("/", port: port)
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.fields["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.fields["content-security-policy"]?.hasPrefix("default-src 'none'") ?? false)
        let html = page.text
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        XCTAssertTrue(html.contains("<meta http-equiv=\"refresh\""))
        XCTAssertTrue(html.contains("天山路街道图书馆"), "the site's display name")
        for device in ["robot-site01-01", "locker-site01-01", "kiosk-site01-01", "gate-site01-01"] {
            XCTAssertTrue(html.contains("<span class=\"id\">\(device)</span>"), device)
        }
        XCTAssertTrue(html.contains("<li class=\"tile st-offline\" title=\"robot-site01-01"), "the offline tile")
        XCTAssertTrue(html.contains("<span class=\"inc\">\(incident.id)</span>"), "the open incident")
        XCTAssertTrue(html.contains("设备离线"), "its rule, in Chinese")
        XCTAssertTrue(html.contains("响应期限"), "its respond_by clock")
        XCTAssertTrue(html.contains("监控运行正常"), "the monitoring's health")
        XCTAssertTrue(html.contains("<span class=\"hours open\">开放中</span>"), "the site's opening state")
        let english = try HTTPAnswer.get("/?lang=en", port: port).text
        XCTAssertTrue(english.contains("<html lang=\"en\">") && english.contains("respond by"))
        let site = try HTTPAnswer.get("/?site=site01", port: port)
        XCTAssertEqual(site.status, 200)
        XCTAssertTrue(site.text.contains("<title>天山路街道图书馆 · 图书馆设备状态</title>"))
    }

    /// Each path against the CLI run at (nearly) the same moment: the daemon rewrites its status
    /// row and last_seen every second, so a pair is retried until the two were taken within the
    /// same second. Equal bytes, not equal values.
    func testEachAPIPathAnswersExactlyWhatTheCLIPrints() throws {
        try startFleet()
        let incident = try XCTUnwrap(openIncidents().first).id
        let pairs: [(String, [String])] = [
            ("/api/v1/status", ["status", "--json"]),
            ("/api/v1/devices", ["devices", "--json"]),
            (
                "/api/v1/devices?site=site01&kind=delivery-robot&state=offline",
                ["devices", "--site", "site01", "--kind", "delivery-robot", "--state", "offline", "--json"]
            ),
            ("/api/v1/devices?state=online", ["devices", "--state", "online", "--json"]),
            ("/api/v1/incidents", ["incidents", "--json"]),
            ("/api/v1/incidents?all=1", ["incidents", "--all", "--json"]),
            ("/api/v1/incidents?priority=P2", ["incidents", "--priority", "P2", "--json"]),
            ("/api/v1/incidents?priority=P1", ["incidents", "--priority", "P1", "--json"]),
            ("/api/v1/incidents/\(incident)", ["incident", incident, "--json"]),
        ]
        for (path, arguments) in pairs {
            var last: (api: String, cli: String) = ("", "")
            let same = try waitUntil(15, interval: 0.05) {
                let before = try HTTPAnswer.get(path, port: port)
                XCTAssertEqual(before.status, 200, path)
                XCTAssertEqual(before.fields["content-type"], "application/json; charset=utf-8", path)
                let printed = try cli(arguments)
                XCTAssertEqual(printed.status, 0, printed.stderr)
                let after = try HTTPAnswer.get(path, port: port)
                last = (after.text, printed.stdout)
                return printed.stdout == before.text || printed.stdout == after.text
            }
            XCTAssertTrue(
                same,
                "\(path) differs from fleetwatch \(arguments.joined(separator: " ")):\n"
                    + "api: \(last.api.prefix(600))\ncli: \(last.cli.prefix(600))")
        }
        let status = try HTTPAnswer.get("/api/v1/status", port: port).text
        XCTAssertTrue(status.contains("\"notify\":[{\"name\":\"desk\""), status)
        let devices = try HTTPAnswer.get("/api/v1/devices", port: port).text
        XCTAssertTrue(devices.contains("\"robot-site01-01\"") && devices.contains("\"schedule\":\"allday\""), devices)
    }

    func testUnknownPathsAre404OtherMethods405AndNothingChanges() throws {
        try startFleet()
        let incident = try XCTUnwrap(openIncidents().first).id
        let unknown = try HTTPAnswer.get("/api/v1/incidents/INC-999999", port: port)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.text, "{\"error\":\"no incident INC-999999\"}\n")
        XCTAssertEqual(try HTTPAnswer.get("/api/v1/incidents/nonsense", port: port).status, 404)
        for path in ["/nope", "/api/v1/nope", "/api/v1/devices/robot-site01-01", "/index.html"] {
            XCTAssertEqual(try HTTPAnswer.get(path, port: port).status, 404, path)
        }
        XCTAssertEqual(try HTTPAnswer.get("/api/v1/devices?state=broken", port: port).status, 400)
        let writes = ["POST", "PUT", "PATCH", "DELETE"]
        for method in writes {
            for path in [
                "/", "/api/v1/status", "/api/v1/incidents", "/api/v1/incidents/\(incident)", "/healthz", "/metrics",
            ] {
                let answer = try HTTPAnswer.send(
                    method, path, port: port, body: "{\"status\":\"resolved\",\"by\":\"web\"}")
                XCTAssertEqual(answer.status, 405, "\(method) \(path)")
                XCTAssertEqual(answer.fields["allow"], "GET", "\(method) \(path)")
            }
        }
        let after = try incidentDetail(incident)
        XCTAssertEqual(after.incident.status, "open", "no request changed the incident")
        XCTAssertEqual(after.timeline.map(\.event), ["OPEN"])
        XCTAssertEqual(try alertLines().filter { !$0.contains(" OPEN ") }, [], "and no line but its OPEN was written")
    }

    func testATokenFileGuardsEveryPathButHealthz() throws {
        let tokenPath = directory + "/http-token"
        try "first-token-0123456789\n".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        try startFleet(extraMetrics: "bearer_token_file = \"\(tokenPath)\"")
        let guarded = [
            "/", "/?site=site01", "/metrics", "/api/v1/status", "/api/v1/devices", "/api/v1/incidents",
            "/api/v1/incidents/INC-000001", "/nope",
        ]
        for path in guarded {
            let refused = try HTTPAnswer.get(path, port: port)
            XCTAssertEqual(refused.status, 401, path)
            XCTAssertEqual(refused.fields["www-authenticate"], "Bearer realm=\"fleetwatch\"", path)
            for wrong in ["wrong-token", "first-token-0123456788", "first-token-012345678", "first-token-01234567890"] {
                XCTAssertEqual(
                    try HTTPAnswer.get(path, port: port, fields: ["Authorization": "Bearer \(wrong)"]).status,
                    401, "\(path) with \(wrong)")
            }
            XCTAssertEqual(
                try HTTPAnswer.get(path, port: port, fields: ["Authorization": "Basic Zmlyc3Q="]).status,
                401, path)
        }
        let admitted = ["Authorization": "Bearer first-token-0123456789"]
        for path in guarded.dropLast() {
            XCTAssertEqual(try HTTPAnswer.get(path, port: port, fields: admitted).status, 200, path)
        }
        XCTAssertEqual(try HTTPAnswer.get("/nope", port: port, fields: admitted).status, 404)
        XCTAssertEqual(try HTTPAnswer.get("/healthz", port: port).status, 200, "the probe needs no token")

        // SIGHUP reads the file again: the new token works, the old one no longer does.
        try "second-token-9876543210\n".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        daemon?.signal(SIGHUP)
        XCTAssertTrue(
            try waitUntil(10) {
                try HTTPAnswer.get(
                    "/api/v1/status", port: port,
                    fields: ["Authorization": "Bearer second-token-9876543210"]
                ).status == 200
            })
        XCTAssertEqual(try HTTPAnswer.get("/api/v1/status", port: port, fields: admitted).status, 401)
    }

    /// The daemon refuses to start with a token file it cannot read, naming the key.
    func testATokenFileThatCannotBeReadStopsTheStart() throws {
        port = freePort()
        metricsListen = "127.0.0.1:\(port)"
        metricsExtra = "bearer_token_file = \"\(directory)/missing-token\""
        try writeConfig()
        let daemon = try startDaemon(waitForBroker: false)
        XCTAssertNotNil(daemon.wait(timeout: 10), "fleetwatchd started without its token")
        XCTAssertNotEqual(daemon.process.terminationStatus, 0)
        XCTAssertTrue(daemon.log.contains("metrics.bearer_token_file names \(directory)/missing-token"), daemon.log)
    }
}
