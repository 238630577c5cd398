import FleetCore
import Foundation
import MQTT

/// The daemon's MQTT session: persistent (clean session off, fixed client id) so the broker queues
/// QoS 1 heartbeats while we are away; our own birth and last-will on `PREFIX/$fleetwatch/state`.
/// Callbacks only copy into the inbox; the engine loop does everything else.
final class BrokerLink {
    let client: MQTTClient
    let prefix: String
    var stateTopic: String { "\(prefix)/$fleetwatch/state" }

    init(settings: MQTTSettings, inbox: Inbox) throws {
        prefix = settings.topicPrefix
        var password: String?
        if !settings.passwordFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: settings.passwordFile),
                  var text = String(data: data, encoding: .utf8) else {
                throw DaemonError("mqtt.password_file \(settings.passwordFile) cannot be read")
            }
            // By scalars: "\r\n" is one Character, so `hasSuffix("\n")` misses a CRLF ending.
            while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
            password = text
        }
        var options = MQTTOptions(
            host: settings.host, port: settings.port, clientID: settings.clientID, cleanSession: false,
            keepaliveSeconds: settings.keepaliveSeconds,
            username: settings.username.isEmpty ? nil : settings.username, password: password,
            will: .init(topic: "\(settings.topicPrefix)/$fleetwatch/state", payload: "offline", qos: 1, retain: true))
        if !settings.tlsCAFile.isEmpty {
            options.tls = .init(caFile: settings.tlsCAFile,
                                certFile: settings.tlsCertFile.isEmpty ? nil : settings.tlsCertFile,
                                keyFile: settings.tlsKeyFile.isEmpty ? nil : settings.tlsKeyFile)
        }
        var handlers = MQTTHandlers()
        handlers.connected = { code in
            inbox.post(code == 0 ? .brokerConnected : .brokerRefused(code: code))
        }
        handlers.disconnected = { code in inbox.post(.brokerDisconnected(code: code)) }
        handlers.log = { isError, text in inbox.post(.brokerLog(isError: isError, text: text)) }
        handlers.message = { message in inbox.append(topic: message.topic, payload: message.payload) }
        client = try MQTTClient(options: options, handlers: handlers)
    }

    func start() throws { try client.start() }

    /// Called on the loop once CONNACK arrived: subscribe (again; harmless with a persistent
    /// session) and announce that monitoring is alive.
    func didConnect() throws {
        try client.subscribe("\(prefix)/#", qos: 1)
        try client.publish(topic: stateTopic, payload: "online", qos: 1, retain: true)
    }

    /// Clean shutdown: say `offline` ourselves (a clean DISCONNECT suppresses the will).
    func stop() {
        try? client.publish(topic: stateTopic, payload: "offline", qos: 1, retain: true)
        usleep(100_000)  // let the network thread send it before DISCONNECT
        client.close()
    }
}

struct DaemonError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
