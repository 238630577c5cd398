import Foundation
import XCTest

/// Base of every end-to-end test: a temp directory, a private broker, and helpers to run the real
/// daemon, CLI and simulator against it. Everything started is stopped in tearDown, pass or fail
/// (and killed by the kernel if the test process dies: `Spawn`); on failure the processes' logs
/// are printed.
class EndToEndTestCase: XCTestCase {
    let directory = NSTemporaryDirectory() + "fleetwatch-e2e-\(UUID().uuidString.prefix(8))"
    lazy var broker = TestBroker(unstartedIn: directory)
    var daemon: ChildProcess?
    var children: [ChildProcess] = []
    var configPath: String { directory + "/fleetwatch.toml" }
    var alertLogPath: String { directory + "/alerts.log" }
    var databasePath: String { directory + "/fleetwatch.db" }
    var controlSocketPath: String { directory + "/control.sock" }
    /// `metrics.listen` for the configs this test writes; off unless a test sets it.
    var metricsListen = ""
    /// Extra `[metrics]` keys (the bearer token file) for the configs this test writes.
    var metricsExtra = ""
    /// Extra `[mqtt]` keys (credentials, TLS, topic_prefix…) for the configs this test writes.
    var mqttExtra = ""
    /// `storage.alert_log_format` for the configs this test writes.
    var alertLogFormat = "text"
    /// The PostgreSQL database the configs this test writes use (`usePostgres()`, or every test
    /// with `FLEETWATCH_E2E_BACKEND=postgres`); nil: the SQLite file at `databasePath`.
    var postgresURL: String?

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try broker.startOnAFreePort()
        if TestBackend.postgres { try usePostgres() }
    }

    override class func tearDown() {
        TestClusters.stop(for: self)
        super.tearDown()
    }

    override func tearDown() {
        for child in children.reversed() { child.stop() }
        broker.stop()
        let survivors = Spawn.killSurvivors()
        if survivors > 0 { print("harness: killed \(survivors) child process(es) the test had not stopped") }
        if let run = testRun, run.failureCount > 0 {
            for child in children { print("----- \(child.name) log -----\n\(child.log)") }
            print(
                "----- mosquitto log -----\n\((try? String(contentsOfFile: directory + "/mosquitto.log", encoding: .utf8)) ?? "")"
            )
            print("----- alert log -----\n\(alertLines().joined(separator: "\n"))")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes a config for this test's broker and files; `extra` is appended TOML.
    /// `escalation` is added inside `[escalation]`, `kinds` bodies inside `[kinds.NAME]`.
    /// Unless `outages` is set, a test sees its device incidents alone: group_wait_s 0, no kind
    /// is core, and site/fleet ratios are 1 (tests about escalation turn them back on).
    func writeConfig(
        grace: Double = 1, resolveAfter: Double = 1, groupWait: Double = 0, outages: Bool = false,
        escalation: String = "", detection: String = "", kinds: [String: String] = [:],
        extra: String = ""
    ) throws {
        var kindSections = ""
        for name in Set(["delivery-robot", "pickup-locker", "digital-human", "face-gate"]).union(kinds.keys).sorted() {
            var body = kinds[name] ?? ""
            if !outages && !body.contains("core") { body += "\ncore = false" }
            kindSections += "[kinds.\(name)]\n\(body)\n\n"
        }
        let ratios = outages ? "" : "site_offline_ratio = 1.0\nfleet_offline_ratio = 1.0"

        let text = """
            [mqtt]
            host = "127.0.0.1"
            port = \(broker.port)
            client_id = "fleetwatchd-test"
            keepalive_s = 5
            \(mqttExtra)

            [storage]
            \(postgresURL.map { "backend = \"postgres\"\npostgres_url = \"\($0)\"" } ?? "")
            database = "\(databasePath)"
            alert_log = "\(alertLogPath)"
            alert_log_format = "\(alertLogFormat)"

            [control]
            socket = "\(controlSocketPath)"

            [metrics]
            listen = "\(metricsListen)"
            \(metricsExtra)

            [detection]
            startup_grace_s = \(grace)
            resolve_after_s = \(resolveAfter)
            \(detection)

            [escalation]
            group_wait_s = \(groupWait)
            \(ratios)
            \(escalation)

            \(kindSections)

            \(extra)
            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    @discardableResult
    func startDaemon(environment: [String: String] = [:], waitForBroker: Bool = true) throws -> ChildProcess {
        let child = try ChildProcess(
            name: "fleetwatchd", executable: Binaries.path("fleetwatchd"),
            arguments: ["--config", configPath], logPath: directory + "/fleetwatchd.log",
            environment: environment)
        children.append(child)
        daemon = child
        guard waitForBroker else { return child }
        guard waitUntil(15, { child.log.contains("broker connected") || !child.isRunning }), child.isRunning else {
            throw HarnessError("fleetwatchd did not connect: \(child.log)")
        }
        return child
    }

    @discardableResult
    /// `fleetsim COMMAND --port BROKER ARGUMENTS` (`run` unless told: `scenario NAME`).
    func startSim(_ arguments: [String], command: [String] = ["run"]) throws -> ChildProcess {
        let child = try ChildProcess(
            name: "fleetsim", executable: Binaries.path("fleetsim"),
            arguments: command + ["--port", String(broker.port)] + arguments,
            logPath: directory + "/fleetsim-\(children.count).log")
        children.append(child)
        return child
    }

    func cli(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try runCommand(Binaries.path("fleetwatch"), arguments + ["--config", configPath], environment: environment)
    }

    func alertLines() -> [String] {
        ((try? String(contentsOfFile: alertLogPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func alertLines(event: String) -> [String] {
        alertLines().filter { $0.split(separator: " ").dropFirst().first == Substring(event) }
    }

    /// The alert log parsed line by line; a line that does not parse is an error naming it.
    func alerts() throws -> [AlertLine] {
        try alertLines().map { line in
            guard let parsed = AlertLine(line) else { throw HarnessError("not an alert line: \(line)") }
            return parsed
        }
    }

    func alerts(event: String) throws -> [AlertLine] { try alerts().filter { $0.event == event } }

    /// `summary` of every alert line, for exact comparisons (`OPEN P2 rule=offline … device=…`).
    func alertSummaries() throws -> [String] { try alerts().map(\.summary) }

    /// Waits until the daemon's engine loop has rewritten its status row `turns` more times (it
    /// does so about once a second, after a tick and a commit): whatever the loop had to decide
    /// about the past, it has decided, committed and written by then. The barrier for negative
    /// checks on the daemon's own decisions ("no offline storm on resume").
    func waitForEngineTurns(_ turns: Int = 2, timeout: Double = 15) throws {
        var seen = try daemonStatus().updatedAt
        for _ in 0..<turns {
            let previous = seen
            guard
                try waitUntil(
                    timeout, interval: 0.05,
                    {
                        seen = try daemonStatus().updatedAt
                        return seen != previous
                    })
            else { throw HarnessError("the daemon's status row was not rewritten within \(timeout) s") }
        }
    }

    /// Publishes one heartbeat on `topic` and waits until the daemon's accepted counter has moved
    /// past it: everything published before it (on any topic) has been taken in.
    /// The barrier for a negative check on messages ("the daemon never saw X").
    func waitForIntake(through topic: String, timeout: Double = 10) throws {
        // The counters are those of the status row, up to a second old: a fresh one first.
        try waitForEngineTurns(1)
        let before = try daemonStatus().messages.accepted
        try broker.publish(topic, #"{"health":"ok"}"#)
        guard try waitUntil(timeout, { try daemonStatus().messages.accepted > before }) else {
            throw HarnessError("the daemon did not take in the barrier heartbeat on \(topic) within \(timeout) s")
        }
    }
}
