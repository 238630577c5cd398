import Foundation
import MQTT
import Synchronization

/// One device: its own MQTT connection with `offline` as its last will, a heartbeat schedule,
/// and the failure modes the tests need (go silent, lose power, come back), including those of
/// its link: heartbeats lost or duplicated on the way, a software that restarts, error codes,
/// latency.
final class SimulatedDevice {
    enum Mode { case running, silent, killed }

    let spec: DeviceSpec
    let broker: BrokerOptions
    let interval: Double
    /// Whether heartbeats carry `interval_s` (which overrides the kind's interval in the daemon).
    let sendsInterval: Bool
    var qos: Int32
    var health = "ok"
    var metrics: [String: String]
    /// Metrics that move at a steady rate (`ramp=`): value at `start` (seconds into the run) and
    /// change per second. A `_pct` metric stays within 0–100, as a battery does.
    var ramps: [String: (start: Double, from: Double, perSecond: Double)] = [:]
    /// Added to the device's `ts`: a device whose clock is wrong.
    var clockOffset = 0.0
    /// Share of heartbeats lost on the way (counted in `seq`, never published), spread evenly:
    /// 0.5 loses every other one.
    var lossRatio = 0.0
    /// Share of heartbeats published twice, spread evenly.
    var duplicateRatio = 0.0
    /// The device's software restarts after every this many heartbeats (`seq` and `uptime_s` start
    /// over; the connection stays, as when only the software restarts). 0: never.
    var rebootEvery = 0
    /// Milliseconds between the device's `ts` and the moment it is published: a slow link.
    var latencyMs = 0.0
    var errors: [String] = []
    private var lossDebt = 0.0
    private var duplicateDebt = 0.0
    private var beatsSinceBoot = 0
    /// Run-loop time of the last (simulated) boot; the device has been up an hour when the run starts.
    private var bootedAt = -3600.0
    private(set) var mode = Mode.running
    private var client: MQTTClient?
    private let connected = SharedFlag()
    private var seq = 0
    var nextBeat: Double = 0

    init(spec: DeviceSpec, broker: BrokerOptions, interval: Double, qos: Int32, sendsInterval: Bool = true) {
        self.spec = spec
        self.broker = broker
        self.interval = interval
        self.sendsInterval = sendsInterval
        self.qos = qos
        self.metrics = Payload.healthyMetrics(kind: spec.kind)
    }

    func connect() throws {
        var handlers = MQTTHandlers()
        let flag = connected
        let statusTopic = spec.topic(broker.prefix, "status")
        handlers.connected = { code in flag.set(code == 0) }
        handlers.disconnected = { _ in flag.set(false) }
        let options = MQTTOptions(
            host: broker.host, port: broker.port, clientID: "fleetsim-\(spec.id)", cleanSession: true,
            keepaliveSeconds: 5, username: broker.username, password: broker.password,
            will: .init(topic: statusTopic, payload: "offline", qos: 1, retain: true))
        let client = try MQTTClient(options: options, handlers: handlers)
        do {
            try client.start()
        } catch {
            client.close()  // an MQTTClient must be closed before it is released
            throw error
        }
        self.client = client
    }

    var isConnected: Bool { connected.value }

    /// Publishes `online` once connected; called by the run loop until it succeeds.
    func announceOnline() {
        try? client?.publish(topic: spec.topic(broker.prefix, "status"), payload: "online", qos: 1, retain: true)
    }

    func beat(now: Double) {
        for (name, ramp) in ramps {
            var value = ramp.from + ramp.perSecond * (now - ramp.start)
            if name.hasSuffix("_pct") { value = min(100, max(0, value)) }
            metrics[name] = String((value * 100).rounded() / 100)
        }
        guard mode == .running, isConnected, let client else { return }
        if rebootEvery > 0 && beatsSinceBoot >= rebootEvery {
            seq = 0
            beatsSinceBoot = 0
            bootedAt = now
        }
        let sentAt = Date().timeIntervalSince1970 + clockOffset - latencyMs / 1000
        let payload = Payload.heartbeat(
            seq: seq, uptime: Int(now - bootedAt), interval: sendsInterval ? interval : nil,
            health: health, errors: errors, metrics: metrics,
            unixMillis: Int64(sentAt * 1000))
        lossDebt += lossRatio
        if lossDebt >= 1 {  // lost on the way: the device sent it, nobody receives it
            lossDebt -= 1
            seq += 1
            beatsSinceBoot += 1
            return
        }
        let topic = spec.topic(broker.prefix, "heartbeat")
        guard (try? client.publish(topic: topic, payload: payload, qos: qos, retain: false)) != nil else { return }
        seq += 1
        beatsSinceBoot += 1
        duplicateDebt += duplicateRatio
        if duplicateDebt >= 1 {
            duplicateDebt -= 1
            try? client.publish(topic: topic, payload: payload, qos: qos, retain: false)
        }
    }

    /// Publishes invalid messages of every kind the daemon must reject; returns how many.
    func publishMalformed() -> Int {
        guard let client else { return 0 }
        let heartbeat = spec.topic(broker.prefix, "heartbeat")
        let bad: [(String, String)] = [
            (heartbeat, "{\"seq\": 1, \"health\": "),  // bad_json
            (heartbeat, "[\"not\", \"an\", \"object\"]"),  // bad_json
            (heartbeat, "{\"seq\": -1}"),  // bad_field
            (heartbeat, "{\"health\": \"sleepy\"}"),  // bad_field
            (heartbeat, "{\"pad\": \"" + String(repeating: "x", count: 10_000) + "\"}"),  // too_large
            ("\(broker.prefix)/\(spec.site)/\(spec.kind)/heartbeat", "{}"),  // bad_topic
            ("\(broker.prefix)/\(spec.site)/toaster/toaster-1/heartbeat", "{}"),  // unknown_kind
            (spec.topic(broker.prefix, "status"), "sleeping"),  // bad_status
        ]
        for (topic, payload) in bad { try? client.publish(topic: topic, payload: payload, qos: 1, retain: false) }
        return bad.count
    }

    /// Starts moving `name` by `perSecond` from its current value (0 when it has none) at `start`.
    func ramp(_ name: String, perSecond: Double, from start: Double) {
        let current = metrics[name].flatMap(Double.init) ?? 0
        ramps[name] = (start, current, perSecond)
    }

    /// Stops heartbeats but keeps the connection: the daemon must notice by timeout.
    func silence() { mode = .silent }

    /// Drops the connection without DISCONNECT, like a power cut: the broker publishes the will.
    func kill() {
        client?.abort()
        client = nil
        connected.set(false)
        mode = .killed
    }

    /// Heartbeats again, reconnecting first if the device was killed.
    func resume() throws {
        if mode == .killed { try connect() }
        mode = .running
    }

    /// A clean goodbye at the end of a run (no will; the daemon sees silence).
    func close() {
        client?.close()
        client = nil
    }
}

/// A boolean set on one thread (libmosquitto's, a signal queue) and read on the run loop.
final class SharedFlag: Sendable {
    private let state = Mutex(false)
    func set(_ v: Bool) { state.withLock { $0 = v } }
    var value: Bool { state.withLock { $0 } }
}
