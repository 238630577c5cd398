import Logging
import MQTT
import Synchronization

/// An HA node's say on `PREFIX/$fleetwatch/state` (SPEC §5) while it is the active one: a second,
/// small broker connection whose last will is `offline` there, and which says `online` on every
/// connect. One connection has one will, and the node's main connection's is its node topic's;
/// with this one, the active node dying makes the state `offline` until a standby takes over and
/// says `online` again, and the last node dying leaves it `offline` (it used to stay `online`).
/// Stepping down closes it cleanly (no will): the node taking over speaks next.
final class PresenceLink: Sendable {
    private let options: MQTTOptions
    private let topic: String
    private let logger: Logger
    private let client = Mutex<MQTTClient?>(nil)
    /// The last CONNACK refusal logged: one line per distinct reason, not one per retry.
    private let refusal = Mutex<Int32>(0)

    init(options main: MQTTOptions, stateTopic: String, logger: Logger) {
        var options = main
        options.clientID = main.clientID + "-state"
        options.cleanSession = true
        options.will = .init(topic: stateTopic, payload: "offline", qos: 1, retain: true)
        self.options = options
        topic = stateTopic
        self.logger = logger
    }

    /// This node became the active one: connect (retrying in the background) and say `online`.
    func activate() {
        client.withLock { current in
            guard current == nil else { return }
            var handlers = MQTTHandlers()
            handlers.connected = { [weak self] code in
                if code == 0 { self?.sayOnline() } else { self?.refused(code) }
            }
            handlers.log = { [logger] isError, text in
                if isError { logger.warning("state connection", metadata: ["reason": "\(text)"]) }
            }
            do {
                let next = try MQTTClient(options: options, handlers: handlers)
                // Held before it starts: its first CONNACK waits for this lock, then finds it.
                current = next
                try next.start()
            } catch {
                current = nil
                logger.error("state connection not started", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A broker that refuses this connection (an ACL that knows only the main client id, say)
    /// leaves the state topic without this node's will: said once per reason, retried with backoff.
    private func refused(_ code: Int32) {
        let new = refusal.withLock { last in
            defer { last = code }
            return last != code
        }
        guard new else { return }
        logger.error(
            "broker refused the state connection; the state topic will not say offline if this node dies",
            metadata: ["client_id": "\(options.clientID)", "code": "\(code)"])
    }

    /// On every connect of the state connection (the network thread's callback).
    private func sayOnline() {
        refusal.withLock { $0 = 0 }
        client.withLock { current in
            do {
                try current?.publish(topic: topic, payload: "online", qos: 1, retain: true)
            } catch {
                logger.warning("online state not published", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Standing by or stopping: a clean goodbye, so the will does not say `offline`.
    func deactivate() {
        let closing = client.withLock { current in
            defer { current = nil }
            return current
        }
        closing?.close()
    }
}
