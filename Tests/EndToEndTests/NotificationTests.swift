import Foundation
import XCTest

/// Notifications through a real HTTP receiver (SPEC §14): what is sent, that failures are
/// retried until the receiver recovers, that a crash loses nothing and repeats nothing
/// answered 2xx, the command channel, and `fleetwatch notify test`.
final class NotificationTests: EndToEndTestCase {
    private var receiver: TestReceiver!

    override func setUpWithError() throws {
        try super.setUpWithError()
        receiver = try TestReceiver()
    }

    override func tearDown() {
        if let run = testRun, run.failureCount > 0 {
            print(
                "----- receiver -----\n" + receiver.requests.map { "\($0.headers) \($0.body)" }.joined(separator: "\n"))
        }
        receiver?.stop()
        super.tearDown()
    }

    private func configure(_ channel: String, grace: Double = 1, extra: String = "") throws {
        try writeConfig(grace: grace, extra: "[[notify]]\n\(channel)\n\(extra)")
    }

    private func goOffline(_ device: String, site: String = "tianshan") throws {
        // Heard first: a status alone registers nothing (issue 11).
        try broker.publish("library/\(site)/delivery-robot/\(device)/heartbeat", #"{"health":"ok"}"#)
        try broker.publish("library/\(site)/delivery-robot/\(device)/status", "offline", retain: true)
    }

    private func comeBack(_ device: String, site: String = "tianshan") throws {
        try broker.publish("library/\(site)/delivery-robot/\(device)/status", "online", retain: true)
        try broker.publish("library/\(site)/delivery-robot/\(device)/heartbeat", #"{"health":"ok"}"#)
    }

    /// A device that stays online, so that the offline ones make no site or fleet outage.
    private func keepOneOnline() throws {
        try broker.publish("library/central/pickup-locker/locker-live/heartbeat", #"{"health":"ok"}"#)
    }

    private func events(_ requests: [TestReceiver.Request]) -> [String] {
        requests.compactMap { try? $0.notification().event }
    }

    /// HMAC-SHA256 as openssl computes it: a second implementation, not the daemon's own.
    private func opensslHMAC(_ body: String, key: String) throws -> String {
        let file = directory + "/body-\(UUID().uuidString)"
        try body.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runCommand("/usr/bin/openssl", ["dgst", "-sha256", "-hmac", key, "-r", file])
        return String(result.stdout.split(separator: " ").first ?? "")
    }

    func testOpenIsDeliveredWithTheSpecBodyHeadersAndSignature() throws {
        try "s3cret\n".write(toFile: directory + "/secret", atomically: true, encoding: .utf8)
        try configure(
            """
            name = "oncall"
            url = "\(receiver.url)/hook?token=abc"
            secret_file = "\(directory)/secret"
            """, extra: "[sites.tianshan]\nname = \"天山路街道图书馆\"")
        try startDaemon()
        try keepOneOnline()
        try goOffline("robot-01")
        XCTAssertTrue(waitUntil(10) { events(receiver.requests).contains("OPEN") })
        let request = try XCTUnwrap(receiver.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/hook?token=abc")
        XCTAssertEqual(request.headers["content-type"], "application/json")
        let body = try request.notification()
        XCTAssertEqual(request.headers["idempotency-key"], body.id)
        XCTAssertEqual(
            request.headers["x-fleetwatch-signature"],
            "sha256=" + (try opensslHMAC(request.body, key: "s3cret")), "the trailing newline is not the secret's")
        XCTAssertEqual(body.event, "OPEN")
        XCTAssertEqual(body.incident, "INC-000001")
        XCTAssertEqual(body.priority, "P2")
        XCTAssertEqual(body.rule, "offline")
        XCTAssertEqual(body.site, "tianshan")
        XCTAssertEqual(body.kind, "delivery-robot")
        XCTAssertEqual(body.device, "robot-01")
        XCTAssertEqual(body.siteName, "天山路街道图书馆")
        XCTAssertEqual(body.respondBy, try XCTUnwrap(openIncidents().first?.respondBy))
        XCTAssertNil(body.onsiteBy)
        XCTAssertEqual(body.msg, "device reported offline (status message or last will)")

        // Every matching alert line is delivered, in order: RESOLVE too; NOTE is not among the events.
        XCTAssertEqual(try cli(["note", "INC-000001", "--by", "li.wei", "checked"]).status, 0)
        try comeBack("robot-01")
        XCTAssertTrue(waitUntil(10) { events(receiver.requests) == ["OPEN", "RESOLVE"] })
        Thread.sleep(forTimeInterval: 1.5)  // past the moment a NOTE would have gone out
        XCTAssertEqual(events(receiver.requests), ["OPEN", "RESOLVE"])
        let logged = alertLines().filter { $0.contains(" OPEN ") || $0.contains(" RESOLVE ") }.count
        XCTAssertEqual(logged, 2)
        XCTAssertEqual(
            try notifyChannels(),
            [
                try decodeCLIOutput(
                    CLINotifyChannel.self,
                    from: #"{"name":"oncall","delivered":2,"pending":0,"failing":false,"last_error":null}"#,
                    command: [])
            ])
    }

    func testAFailingReceiverIsRetriedUntilItRecoversAndTheFailureIsShownRedacted() throws {
        try configure(
            """
            name = "oncall"
            url = "\(receiver.url)/hook?token=abc"
            timeout_s = 1
            """)
        receiver.refuse()
        try startDaemon()
        try goOffline("robot-01")
        var notify: CLINotifyChannel?
        XCTAssertTrue(
            try waitUntil(10) {
                notify = try notifyChannel("oncall")
                return notify?.failing == true
            })
        XCTAssertEqual(notify?.lastError, "connection refused")
        XCTAssertEqual(notify?.pending, 1)
        let table = try cli(["notify", "list"]).stdout
        XCTAssertTrue(table.contains("\(receiver.url)/hook?token=***"), table)
        XCTAssertFalse(table.contains("abc"), table)

        // Back, but answering 500, then hanging past timeout_s, then 200.
        receiver.queue([.status(500, "busy"), .hang(3)])
        try receiver.accept()
        XCTAssertTrue(waitUntil(30) { receiver.requests.count >= 3 })
        let keys = receiver.requests.map { $0.headers["idempotency-key"] ?? "" }
        XCTAssertEqual(Set(keys).count, 1, "the same event, the same id, on every attempt: \(keys)")
        XCTAssertEqual(Set(receiver.requests.map(\.body)).count, 1)
        XCTAssertTrue(
            try waitUntil(10) {
                let channel = try notifyChannel("oncall")
                return channel?.delivered == 1 && channel?.failing == false
            })
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual(receiver.requests.count, 3, "answered 2xx: not sent again")
        XCTAssertTrue(daemon?.log.contains("notification channel recovered") == true)
    }

    func testEventsPendingAtAKill9AreDeliveredAfterTheRestartAndNothingAnswered2xxTwice() throws {
        // A long grace: after the restart nobody goes offline by silence within the test.
        try configure(
            """
            name = "oncall"
            url = "\(receiver.url)/hook"
            timeout_s = 1
            """, grace: 60)
        let first = try startDaemon()
        try keepOneOnline()
        try goOffline("robot-01", site: "site-a")
        XCTAssertTrue(waitUntil(10) { receiver.requests.count == 1 })
        receiver.refuse()
        try goOffline("robot-02", site: "site-b")
        try goOffline("robot-03", site: "site-c")
        XCTAssertTrue(waitUntil(10) { alertLines(event: "OPEN").count == 3 }, alertLines().joined(separator: "\n"))
        XCTAssertTrue(try waitUntil(10) { try notifyChannel("oncall")?.pending == 2 })
        first.signal(SIGKILL)
        XCTAssertNotNil(first.wait(timeout: 5))
        try receiver.accept()
        try startDaemon()
        XCTAssertTrue(waitUntil(15) { receiver.requests.count >= 3 })
        Thread.sleep(forTimeInterval: 2)  // past the moment a repeat would have gone out
        let devices = receiver.requests.compactMap { try? $0.notification().device }
        let logged = alertLines(event: "OPEN").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("device=") }.map { String($0.dropFirst(7)) }
        }
        XCTAssertEqual(Set(logged), ["robot-01", "robot-02", "robot-03"])
        XCTAssertEqual(devices, logged, "in event order, each once")
        let ids = receiver.requests.compactMap { $0.headers["idempotency-key"] }
        XCTAssertEqual(Set(ids).count, 3)
        XCTAssertEqual(alertLines(event: "OPEN").count, 3, "no new incidents after the restart")
    }

    func testACommandChannelGetsTheJSONOnStdinAndItsExitStatusDecides() throws {
        let script = directory + "/page"
        let received = directory + "/received"
        try """
        #!/bin/sh
        if [ -e "\(directory)/fail" ]; then echo "pager gateway down" >&2; exit 3; fi
        cat >> "\(received)"
        echo " $FLEETWATCH_EVENT $FLEETWATCH_INCIDENT" >> "\(received)"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(script, 0o755), 0)
        _ = FileManager.default.createFile(atPath: directory + "/fail", contents: nil)
        try configure(
            """
            name = "pager"
            type = "command"
            command = ["\(script)", "--ignored-argument"]
            """)
        try startDaemon()
        try goOffline("robot-01")
        XCTAssertTrue(
            try waitUntil(10) { try notifyChannel("pager")?.lastError?.contains("exited with status 3") == true })
        XCTAssertEqual(try notifyChannel("pager")?.lastError, "\(script) exited with status 3: pager gateway down")
        try FileManager.default.removeItem(atPath: directory + "/fail")
        XCTAssertTrue(waitUntil(10) { FileManager.default.fileExists(atPath: received) })
        XCTAssertTrue(waitUntil(5) { ((try? String(contentsOfFile: received, encoding: .utf8)) ?? "").hasSuffix("\n") })
        let text = try String(contentsOfFile: received, encoding: .utf8)
        let json = try XCTUnwrap(text.split(separator: " OPEN").first)
        let body = try JSONDecoder().decode(ReceivedNotification.self, from: Data(json.utf8))
        XCTAssertEqual(body.event, "OPEN")
        XCTAssertEqual(body.device, "robot-01")
        XCTAssertTrue(text.hasSuffix(" OPEN INC-000001\n"), text)
    }

    func testNotifyTestExitsZeroOn2xxAndOneWithTheReasonOtherwise() throws {
        try configure(
            """
            name = "oncall"
            url = "\(receiver.url)/hook"
            timeout_s = 1
            """)
        let stopped = try cli(["notify", "test", "oncall"])
        XCTAssertEqual(stopped.status, 1)
        XCTAssertTrue(stopped.stderr.contains("not running"), stopped.stderr)
        // A name the file does not have is answered by the CLI itself, the daemon up or not.
        let typo = try cli(["notify", "test", "oncal"])
        XCTAssertEqual(typo.status, 1)
        XCTAssertEqual(typo.stderr, "fleetwatch: no notification channel named oncal (configured: oncall)\n")
        let empty = try cli(["notify", "test", ""])
        XCTAssertEqual(empty.status, 2, empty.stderr)
        try startDaemon()
        let sent = try cli(["notify", "test", "oncall"])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertEqual(events(receiver.requests), ["TEST"])
        XCTAssertEqual(
            try receiver.requests.first?.notification().id, receiver.requests.first?.headers["idempotency-key"])

        receiver.answer(.status(503))
        let refused = try cli(["notify", "test", "oncall"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "fleetwatch: oncall: answered HTTP 503\n")
        receiver.answer(.hang(3))
        let hung = try cli(["notify", "test", "oncall"])
        XCTAssertEqual(hung.status, 1)
        XCTAssertEqual(hung.stderr, "fleetwatch: oncall: timed out after 1s\n")
        let unknown = try cli(["notify", "test", "nobody"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "fleetwatch: no notification channel named nobody (configured: oncall)\n")
        XCTAssertEqual(try notifyChannel("oncall")?.delivered, 0, "a test is not an event")
    }

    func testAServerCertificateOutsideTheSystemBundleIsRefused() throws {
        let key = directory + "/key.pem"
        let cert = directory + "/cert.pem"
        XCTAssertEqual(
            try runCommand(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                ]
            ).status, 0)
        let port = freePort()
        let server = try ChildProcess(
            name: "openssl-s_server", executable: "/usr/bin/openssl",
            arguments: [
                "s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key,
                "-www", "-quiet",
            ], logPath: directory + "/s_server.log")
        children.append(server)
        XCTAssertTrue(waitUntil(5) { canConnect(port: port) })
        try configure(
            """
            name = "tls"
            url = "https://127.0.0.1:\(port)/hook"
            timeout_s = 3
            """)
        try startDaemon()
        let result = try cli(["notify", "test", "tls"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(
            result.stderr, "fleetwatch: tls: request failed: SSL certificate problem: self-signed certificate\n")
    }

    func testAnSLAWarningIsWrittenOnceBeforeTheBreachAndDelivered() throws {
        // Service time around the clock, so the test does not depend on when it runs.
        try configure(
            """
            name = "oncall"
            url = "\(receiver.url)/hook"
            """,
            extra: """
                [sla]
                service_hours = ["00:00-24:00"]
                respond_within_s = 4
                warn_before_s = 2
                """)
        try startDaemon()
        try keepOneOnline()
        try goOffline("robot-01")
        XCTAssertTrue(
            waitUntil(10) { events(receiver.requests) == ["OPEN", "SLA-WARNING", "SLA-BREACH"] },
            "\(events(receiver.requests))")
        let warning = try XCTUnwrap(alertLines(event: "SLA-WARNING").first)
        XCTAssertTrue(warning.contains("sla=respond due="), warning)
        let body = try receiver.requests[1].notification()
        XCTAssertEqual(body.sla, "respond")
        XCTAssertNotNil(body.due)
        XCTAssertEqual(alertLines(event: "SLA-WARNING").count, 1)
        // Once per deadline, also across a restart (the flag is stored with the line).
        daemon?.stop()
        try startDaemon()
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual(alertLines(event: "SLA-WARNING").count, 1)
    }

    func testAChannelAddedByReloadStartsFromNowAndARemovedOneStops() throws {
        try writeConfig()
        let daemon = try startDaemon()
        try keepOneOnline()
        try goOffline("robot-01", site: "site-a")
        XCTAssertTrue(waitUntil(10) { alertLines(event: "OPEN").count == 1 })
        try configure(
            """
            name = "oncall"
            url = "\(receiver.url)/hook"
            """)
        daemon.signal(SIGHUP)
        XCTAssertTrue(waitUntil(10) { daemon.log.contains("configuration reloaded") })
        try goOffline("robot-02", site: "site-b")
        XCTAssertTrue(waitUntil(10) { receiver.requests.count == 1 })
        Thread.sleep(forTimeInterval: 1.5)  // past the moment the history would have been sent
        XCTAssertEqual(
            receiver.requests.compactMap { try? $0.notification().device }, ["robot-02"],
            "a new channel is not sent the history")

        try writeConfig()
        daemon.signal(SIGHUP)
        XCTAssertTrue(waitUntil(10) { daemon.log.components(separatedBy: "configuration reloaded").count == 3 })
        try goOffline("robot-03", site: "site-c")
        XCTAssertTrue(waitUntil(10) { alertLines(event: "OPEN").count == 3 })
        Thread.sleep(forTimeInterval: 1.5)  // past the moment it would have been sent
        XCTAssertEqual(receiver.requests.count, 1, "a removed channel is told nothing more")
        XCTAssertEqual(try cli(["notify", "list", "--json"]).stdout, "[]\n")
    }
}
