import FleetCore
import FleetStore
import Foundation
import Logging
import MQTT
import Synchronization
import SystemCalls

/// The daemon's MQTT session, as a service whose `run()` is the MQTT network loop: persistent
/// (clean session off, fixed client id) so the broker queues QoS 1 heartbeats while we are away;
/// our own birth and last-will on `PREFIX/$fleetwatch/state`. Callbacks only copy into the inbox;
/// the engine loop does everything else.
///
/// An HA node (SPEC §15) has a session of its own (client id `mqtt.client_id-NODE`), publishes its
/// role retained to `PREFIX/$fleetwatch/nodes/NODE` with `offline` as its last will, and says
/// `online` on `PREFIX/$fleetwatch/state` only while it is active, through a `PresenceLink` whose
/// will is `offline` there: a standby dying does not tell dashboards that monitoring stopped, the
/// active one dying does until the node that takes over says `online` again, and the last node
/// dying leaves it `offline`.
final class BrokerLink: Service, Sendable {
    var name: String { "mqtt-network" }
    private let client: MQTTClient
    /// How long after a probe what arrives is acknowledged at once: its echo takes a few ms.
    static let echoWait = 0.1
    private let logger: Logger
    let prefix: String
    var stateTopic: String { "\(prefix)/$fleetwatch/state" }
    /// `PREFIX/$fleetwatch/nodes/NODE` for an HA node, nil otherwise.
    let nodeTopic: String?
    private let role: Mutex<NodeRole>
    /// HA only: the state topic's connection while this node is active.
    private let presence: PresenceLink?

    init(
        settings: MQTTSettings, inbox: Inbox, node: String? = nil, role: NodeRole = .single,
        logger: Logger
    ) throws {
        prefix = settings.topicPrefix
        self.logger = logger
        nodeTopic = node.map { "\(settings.topicPrefix)/$fleetwatch/nodes/\($0)" }
        self.role = Mutex(role)
        var options = MQTTOptions(
            host: settings.host, port: settings.port,
            clientID: node.map { "\(settings.clientID)-\($0)" } ?? settings.clientID,
            cleanSession: false,
            keepaliveSeconds: settings.keepaliveSeconds,
            username: settings.username.isEmpty ? nil : settings.username,
            password: try Self.password(settings.passwordFile, logger: logger),
            will: .init(
                topic: nodeTopic ?? "\(settings.topicPrefix)/$fleetwatch/state", payload: "offline", qos: 1,
                retain: true))
        if !settings.tlsCAFile.isEmpty {
            options.tls = .init(
                caFile: settings.tlsCAFile,
                certFile: settings.tlsCertFile.isEmpty ? nil : settings.tlsCertFile,
                keyFile: settings.tlsKeyFile.isEmpty ? nil : settings.tlsKeyFile)
        }
        presence = node.map { _ in
            PresenceLink(options: options, stateTopic: "\(settings.topicPrefix)/$fleetwatch/state", logger: logger)
        }
        var handlers = MQTTHandlers()
        handlers.connected = { code in
            inbox.post(code == 0 ? .brokerConnected : .brokerRefused(code: code))
        }
        handlers.disconnected = { code in inbox.post(.brokerDisconnected(code: code)) }
        handlers.log = { isError, text in inbox.post(.brokerLog(isError: isError, text: text)) }
        handlers.message = { message in inbox.append(topic: message.topic, payload: message.payload) }
        options.readAhead = true  // after the presence link's copy: it reads next to nothing
        client = try MQTTClient(options: options, handlers: handlers)
        if client.readsAhead { logger.info("broker socket read ahead, 64 KiB a system call") }
    }

    /// `mqtt.password_file`'s text, without the trailing newline (LF or CRLF); nil when unset.
    /// A file every user of the machine can read is worth a warning: it holds the broker password.
    private static func password(_ path: String, logger: Logger) throws -> String? {
        guard !path.isEmpty else { return nil }
        if let status = try? FileSystem.status(of: path), status.permissions & 0o004 != 0 {
            logger.warning(
                "mqtt.password_file is readable by every user; chmod it 0600 (0640 for the service's group)",
                metadata: ["path": "\(path)", "mode": "\(String(status.permissions, radix: 8))"])
        }
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8)
        else {
            throw DaemonError("mqtt.password_file \(path) cannot be read")
        }
        // By scalars: "\r\n" is one Character, so `hasSuffix("\n")` misses a CRLF ending.
        while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
        return text
    }

    /// The first connection attempt; a broker that is not there yet is retried by `run()`.
    func start() throws { try client.connect() }

    func run() {
        do {
            try ThreadPriority.batchCurrentThread()
        } catch {
            logger.warning("the MQTT network thread preempts like any other", metadata: ["error": "\(error)"])
        }
        client.runNetworkLoop()
    }

    /// Called on the loop once CONNACK arrived: subscribe (again; harmless with a persistent
    /// session) to the devices and to the broker's own values, and announce that monitoring is
    /// alive. `$SYS` at QoS 0: the broker retains its values and republishes them every interval.
    func didConnect() throws {
        try client.subscribe("\(prefix)/#", qos: 1)
        try client.subscribe("$SYS/broker/#", qos: 0)
        try announce()
    }

    /// This node's role changed (HA): say so, and `online` on the state topic once active. Not
    /// connected: `didConnect` says it when the connection is back.
    func announce(_ next: NodeRole) {
        role.withLock { $0 = next }
        if next == .standby { presence?.deactivate() } else { presence?.activate() }
        do {
            try announce()
        } catch {
            logger.notice("role not published yet (not connected)", metadata: ["role": "\(next.rawValue)"])
        }
    }

    private func announce() throws {
        let role = role.withLock { $0 }
        if let nodeTopic { try client.publish(topic: nodeTopic, payload: role.rawValue, qos: 1, retain: true) }
        if role != .standby { try client.publish(topic: stateTopic, payload: "online", qos: 1, retain: true) }
    }

    /// One link probe (`LinkProbe`), QoS 1 so a broker that falls behind queues it with the
    /// heartbeats instead of dropping it. A failure is not an error: an unanswered probe is
    /// what `LinkProbe` watches for.
    func publishProbe(_ probe: ProbeMessage, _ sequence: UInt64) {
        do {
            try client.publish(topic: probe.topic, payload: probe.payload(sequence), qos: 1, retain: false)
            // Offline detection waits for the echo (LinkProbe): no delayed ACK may hold it back.
            client.acknowledgePromptly(for: Self.echoWait)
        } catch {
            logger.debug("probe not published", metadata: ["error": "\(error)"])
        }
    }

    /// Clean shutdown: say `offline` ourselves (a clean DISCONNECT suppresses the will); an HA
    /// standby says it only on its node topic (the active one is still watching).
    func stop() {
        presence?.deactivate()  // cleanly: the line below says `offline` if this node was active
        do {
            if let nodeTopic { try client.publish(topic: nodeTopic, payload: "offline", qos: 1, retain: true) }
            if role.withLock({ $0 }) != .standby {
                try client.publish(topic: stateTopic, payload: "offline", qos: 1, retain: true)
            }
            Thread.sleep(forTimeInterval: 0.1)  // let the network thread send it before DISCONNECT
        } catch {
            // Not connected: the broker publishes our will once it notices, as after a crash.
            logger.notice("offline state not published", metadata: ["error": "\(error)"])
        }
        client.close()
    }
}
