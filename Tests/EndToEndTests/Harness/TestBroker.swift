import Foundation

/// A private mosquitto on a free loopback port, with queues generous enough that QoS 0 is never
/// dropped silently (PITFALLS.md). Can be stopped and restarted on the same port.
final class TestBroker {
    private(set) var port: Int
    let directory: String
    private(set) var process: ChildProcess?

    /// Starts the broker at once (the original harness API).
    convenience init(directory: String) throws {
        self.init(unstartedIn: directory)
        try startOnAFreePort()
    }

    /// A broker on a free port, not yet running: `start()` or `startOnAFreePort()` starts it.
    init(unstartedIn directory: String) {
        self.directory = directory
        self.port = freePort()
    }

    var configPath: String { directory + "/mosquitto.conf" }
    /// Listener options and security settings after `listener PORT 127.0.0.1`; anonymous and
    /// plain by default, replaced by tests of credentials, ACLs and TLS (then `restart()`).
    var security = "allow_anonymous true"
    /// Messages queued per client: lowered by tests that make the broker drop some.
    var maxQueuedMessages = 1_000_000
    /// QoS 1 messages sent to a client and not yet acknowledged (0: no limit); tests of the
    /// daemon's acknowledgements lower it so that a withheld PUBACK stops delivery.
    var maxInflightMessages = 0
    /// Extra top-level mosquitto.conf lines (e.g. `sys_interval 1`), applied at the next start.
    var extraSettings = ""

    /// `start()`, trying another free port if another process took the one found (the port is
    /// chosen before mosquitto binds it, so a neighbour may win the race).
    func startOnAFreePort(attempts: Int = 3) throws {
        var lastError: Error = HarnessError("mosquitto was not started")
        for _ in 0..<attempts {
            do {
                try start()
                return
            } catch {
                lastError = error
                port = freePort()
            }
        }
        throw lastError
    }

    func start() throws {
        // Run as root, mosquitto switches to its own user, and a change of credentials clears the
        // parent-death signal (Spawn): `user root` keeps it bound to the test process. As another
        // user the option has no effect.
        let user = getuid() == 0 ? "user root" : ""
        let conf = """
            per_listener_settings false
            persistence false
            max_queued_messages \(maxQueuedMessages)
            max_inflight_messages \(maxInflightMessages)
            \(user)
            \(extraSettings)
            listener \(port) 127.0.0.1
            \(security)
            """
        try conf.write(toFile: configPath, atomically: true, encoding: .utf8)
        let child = try ChildProcess(
            name: "mosquitto", executable: "/usr/sbin/mosquitto", arguments: ["-c", configPath],
            logPath: directory + "/mosquitto.log")
        guard waitUntil(10, interval: 0.02, { canConnect(port: port) || !child.isRunning }), child.isRunning else {
            // Started but not listening (port taken, bad config): never leave it running.
            child.stop()
            throw HarnessError("mosquitto did not listen on \(port): \(child.log)")
        }
        process = child
    }

    func stop() {
        process?.stop()
        process = nil
    }

    func restart() throws {
        stop()
        try start()
    }

    /// Publishes with the real `mosquitto_pub`.
    func publish(_ topic: String, _ payload: String, qos: Int = 1, retain: Bool = false) throws {
        var args = ["-h", "127.0.0.1", "-p", String(port), "-q", String(qos), "-t", topic, "-m", payload]
        if retain { args.append("-r") }
        let result = try runCommand("/usr/bin/mosquitto_pub", args, timeout: 20)
        guard result.status == 0 else { throw HarnessError("mosquitto_pub failed: \(result.stderr)") }
    }

    /// The first message on `topic` (a retained one arrives at once), or nil within `timeout`.
    func firstMessage(on topic: String, timeout: Int = 5) throws -> String? {
        let result = try runCommand(
            "/usr/bin/mosquitto_sub",
            [
                "-h", "127.0.0.1", "-p", String(port), "-t", topic, "-C", "1", "-W", String(timeout),
            ], timeout: Double(timeout) + 10)
        guard result.status == 0 else { return nil }
        return result.stdout.trimmingCharacters(in: .newlines)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
