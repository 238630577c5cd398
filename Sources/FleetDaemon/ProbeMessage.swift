/// The daemon's link probe as an MQTT message (see `LinkProbe`): topic
/// `PREFIX/$fleetwatch/probe`, payload `NONCE:SEQUENCE`. The nonce is random per process, so
/// daemons sharing a broker (a standby, a second watcher) ignore each other's probes.
struct ProbeMessage: Sendable {
    let topic: String
    let nonce: UInt64
    private let topicBytes: [UInt8]
    private let prefix: [UInt8]

    init(topicPrefix: String, nonce: UInt64 = .random(in: 1 ... .max)) {
        topic = "\(topicPrefix)/$fleetwatch/probe"
        self.nonce = nonce
        topicBytes = Array(topic.utf8)
        prefix = Array("\(nonce):".utf8)
    }

    func payload(_ sequence: UInt64) -> String { "\(nonce):\(sequence)" }

    @inline(__always)
    func isProbe(_ topic: UnsafeBufferPointer<UInt8>) -> Bool {
        topic.count == topicBytes.count && topic.elementsEqual(topicBytes)
    }

    /// The sequence number of one of our probes; nil for another daemon's or a forged one.
    func sequence(in payload: UnsafeRawBufferPointer) -> UInt64? {
        guard payload.count > prefix.count, payload.count <= prefix.count + 20,
            payload.prefix(prefix.count).elementsEqual(prefix)
        else { return nil }
        return UInt64(String(decoding: payload.dropFirst(prefix.count), as: UTF8.self))
    }
}
