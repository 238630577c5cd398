import FleetCore

/// Validates one MQTT message and applies it to the engine: the per-message hot path. Every
/// rejection is counted by reason and changes no state.
struct MessageIntake {
    let topics: TopicParser
    let decoder = HeartbeatDecoder()
    let maxPayloadBytes: Int

    init(configuration: Configuration) {
        topics = TopicParser(prefix: configuration.mqtt.topicPrefix)
        maxPayloadBytes = configuration.mqtt.maxPayloadBytes
    }

    /// The broker's own values (`$SYS/broker/#`, SPEC §11).
    static let brokerTopicPrefix = Array("$SYS/broker/".utf8)

    /// Returns nil for messages that are not about devices at all (our own state topic, the
    /// broker's `$SYS` values): they are not counted as accepted or rejected; nor is an `online`
    /// status from a device not registered yet (ignored).
    func apply(
        topic: UnsafeBufferPointer<UInt8>, payload: UnsafeRawBufferPointer, to engine: inout DetectionEngine,
        at now: Moment, effects: inout [EngineEffect]
    ) -> Result<Void, Rejection>? {
        if topic.first == UInt8(ascii: "$"), topic.starts(with: Self.brokerTopicPrefix) {
            let name = UnsafeBufferPointer(rebasing: topic[Self.brokerTopicPrefix.count...])
            let produced = engine.brokerStatReceived(name, payload, at: now)
            if !produced.isEmpty { effects.append(contentsOf: produced) }
            return nil
        }
        if topics.isOwnTopic(topic) { return nil }
        let parsed: RawDeviceTopic
        switch topics.parseRaw(topic) {
        case .success(let t): parsed = t
        case .failure(let r): return .failure(r)
        }
        guard payload.count <= maxPayloadBytes else {
            return .failure(Rejection(.tooLarge, "\(payload.count) bytes > mqtt.max_payload_bytes \(maxPayloadBytes)"))
        }
        // The payload is checked before the device is resolved: a bad message registers nothing.
        let produced: [EngineEffect]
        switch parsed.channel {
        case .heartbeat:
            let beat: Heartbeat
            switch decoder.decode(payload) {
            case .success(let b): beat = b
            case .failure(let r): return .failure(r)
            }
            switch engine.resolveDevice(parsed, at: now) {
            case .success(let index): produced = engine.heartbeatReceived(beat, device: index, at: now)
            case .failure(let r): return .failure(r)
            }
        case .status:
            guard let online = Self.status(payload) else {
                return .failure(Rejection(.badStatus, "status must be \"online\" or \"offline\""))
            }
            switch engine.resolveDevice(parsed, registering: false, at: now) {
            case .success(let index): produced = engine.statusReceived(online: online, device: index, at: now)
            // What every new device says before its first heartbeat: nothing to count.
            case .failure(let r) where online && r.reason == .unknownDevice: return nil
            case .failure(let r): return .failure(r)
            }
        }
        if !produced.isEmpty { effects.append(contentsOf: produced) }
        return .success(())
    }

    /// `online` / `offline`, tolerating surrounding whitespace (a trailing newline from shell tools).
    static func status(_ payload: UnsafeRawBufferPointer) -> Bool? {
        var lo = 0
        var hi = payload.count
        while lo < hi, payload[lo] == 0x20 || payload[lo] == 0x0A || payload[lo] == 0x0D || payload[lo] == 0x09 {
            lo += 1
        }
        while hi > lo,
            payload[hi - 1] == 0x20 || payload[hi - 1] == 0x0A || payload[hi - 1] == 0x0D || payload[hi - 1] == 0x09
        {
            hi -= 1
        }
        let word = UnsafeRawBufferPointer(rebasing: payload[lo..<hi])
        if word.elementsEqual("online".utf8) { return true }
        if word.elementsEqual("offline".utf8) { return false }
        return nil
    }
}
