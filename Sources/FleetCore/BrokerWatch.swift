/// The broker's side of the link (SPEC §11): its `$SYS/broker/` values, and the collector rule
/// `broker-dropping` (P2), which holds while the broker's dropped-messages counter rises:
/// heartbeats are being lost between the broker and a subscriber, ours included.
///
/// mosquitto publishes the counter only when it changed, so "no longer rising" is a silence: the
/// condition clears once three publication intervals (measured from `uptime`, which changes
/// every interval; 10 s, mosquitto's default, until measured) have passed without a rise, and the
/// incident resolves `resolve_after_s` after that. A counter that goes down (the broker
/// restarted) is a new baseline, not a rise; so is the first value after we connect.
struct BrokerWatch {
    private(set) var stats = BrokerStats()
    private(set) var dropping = false
    /// Monotonic time of the last rise of the dropped counter.
    private var lastRise = -Double.infinity
    private var lastUptimeAt: Double?
    /// Seconds between the broker's publications, as measured.
    private(set) var publishInterval = 10.0
    static let quietIntervals = 3.0

    /// A `$SYS/broker/` message: `name` is the part of its topic after that prefix.
    mutating func received(
        _ name: UnsafeBufferPointer<UInt8>, _ payload: UnsafeRawBufferPointer,
        at now: Moment
    ) -> Finding? {
        guard let topic = BrokerStats.Topic.allCases.first(where: { name.elementsEqual($0.rawValue.utf8) }) else {
            return nil
        }
        if topic == .version {
            stats.version = String(decoding: payload, as: UTF8.self)
            return nil
        }
        guard let value = Self.leadingInteger(payload) else { return nil }
        switch topic {
        case .clientsConnected: stats.clientsConnected = value
        case .messagesReceived: stats.messagesReceived = value
        case .messagesSent: stats.messagesSent = value
        case .uptime:
            if let last = lastUptimeAt, now.monotonic - last > 0.2 { publishInterval = now.monotonic - last }
            lastUptimeAt = now.monotonic
            stats.uptimeSeconds = value
        case .messagesDropped:
            let before = stats.messagesDropped
            stats.messagesDropped = value
            guard let before, value > before else { return nil }
            lastRise = now.monotonic
            dropping = true
            return .holds(problem(rise: value - before, total: value))
        case .version:
            break
        }
        return nil
    }

    /// About once a second: the counter has stopped rising.
    mutating func tick(at now: Moment) -> Finding? {
        guard dropping, now.monotonic - lastRise > Self.quietIntervals * publishInterval else { return nil }
        dropping = false
        return .cleared(Self.key)
    }

    static let key = IncidentKey(rule: .brokerDropping, scope: .collector)

    func problem(rise: Int, total: Int) -> Problem {
        Problem(
            rule: .brokerDropping, priority: .p2, scope: .collector,
            summary: "broker dropped \(rise) more messages (\(total) since it started): "
                + "a subscriber is not keeping up or its queue is full")
    }

    /// Still dropping, for an operator's resolve that did not make it go away.
    func stillDropping(_ summary: String) -> Problem? {
        guard dropping else { return nil }
        return Problem(rule: .brokerDropping, priority: .p2, scope: .collector, summary: summary)
    }

    /// `25`, `3600 seconds`: the digits at the start.
    static func leadingInteger(_ payload: UnsafeRawBufferPointer) -> Int? {
        var value = 0
        var digits = 0
        for byte in payload {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            guard digits < 18 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
