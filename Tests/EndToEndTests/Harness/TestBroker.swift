import Foundation

/// A private mosquitto on a free loopback port, with queues generous enough that QoS 0 is never
/// dropped silently (PITFALLS.md), publishing its `$SYS/broker/#` values every second (the
/// daemon shows them as `broker_stats`). Can be stopped and restarted on the same port.
final class TestBroker {
    let port: Int
    let directory: String
    private(set) var process: ChildProcess?

    init(directory: String) throws {
        self.directory = directory
        self.port = freePort()
        try start()
    }

    var configPath: String { directory + "/mosquitto.conf" }
    /// Listener options and security settings after `listener PORT 127.0.0.1`; anonymous and
    /// plain by default, replaced by tests of credentials, ACLs and TLS (then `restart()`).
    var security = "allow_anonymous true"
    /// Messages queued per client: lowered by tests that make the broker drop some.
    var maxQueuedMessages = 1_000_000

    func start() throws {
        let conf = """
            per_listener_settings false
            persistence false
            sys_interval 1
            max_queued_messages \(maxQueuedMessages)
            max_inflight_messages 0
            listener \(port) 127.0.0.1
            \(security)
            """
        try conf.write(toFile: configPath, atomically: true, encoding: .utf8)
        process = try ChildProcess(name: "mosquitto", executable: "/usr/sbin/mosquitto", arguments: ["-c", configPath],
                                   logPath: directory + "/mosquitto.log")
        guard waitUntil(10, interval: 0.05, { canConnect(port: port) }) else {
            throw HarnessError("mosquitto did not listen on \(port): \(process?.log ?? "")")
        }
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
        let result = try runCommand("/usr/bin/mosquitto_pub", args)
        guard result.status == 0 else { throw HarnessError("mosquitto_pub failed: \(result.stderr)") }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
