import FleetCore
import Logging

/// The hot path: the messages of a batch through validation into the engine, each counted;
/// rejections logged, rate-limited, so a flood of bad input cannot fill the disk.
struct Ingest {
    private let intake: MessageIntake
    private let logger: Logger
    private(set) var counters = IngestCounters()
    private var rejectionLog = RateLimiter(burst: 20, period: 10)
    /// The daemon's own link probes (`LinkProbe`): their topic, the payload prefix that marks
    /// them as this process's, and the sequence numbers that came back in this batch.
    let probe: ProbeMessage
    private(set) var probeEchoes: [UInt64] = []

    init(configuration: Configuration, probe: ProbeMessage, logger: Logger) {
        intake = MessageIntake(configuration: configuration)
        self.probe = probe
        self.logger = logger
    }

    /// The probes that came back since the last call, in order.
    mutating func takeProbeEchoes() -> [UInt64] {
        defer { probeEchoes.removeAll(keepingCapacity: true) }
        return probeEchoes
    }

    /// Applies the batch's messages in `range`, appending what the engine produced to `effects`.
    mutating func apply(
        _ batch: Inbox.Batch, _ range: Range<Int>, to engine: inout DetectionEngine,
        effects: inout [EngineEffect], at now: Moment
    ) {
        guard !range.isEmpty else { return }
        batch.bytes.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self)
            for (topicRange, payloadRange) in batch.messages[range] {
                let topic = UnsafeBufferPointer(rebasing: base[topicRange])
                let payload = UnsafeRawBufferPointer(rebasing: raw[payloadRange])
                if probe.isProbe(topic) {  // a length comparison for every other message
                    if let sequence = probe.sequence(in: payload) { probeEchoes.append(sequence) }
                    continue
                }
                switch intake.apply(topic: topic, payload: payload, to: &engine, at: now, effects: &effects) {
                case .success: counters.accepted += 1
                case .failure(let rejection): rejected(rejection, topic: topic, at: now)
                case nil: break
                }
            }
        }
    }

    private mutating func rejected(_ rejection: Rejection, topic: UnsafeBufferPointer<UInt8>, at now: Moment) {
        counters.reject(rejection.reason)
        guard let suppressed = rejectionLog.allow(at: now.monotonic) else { return }
        var metadata: Logger.Metadata = [
            "reason": "\(rejection.reason.rawValue)", "detail": "\(rejection.detail)",
            "topic": "\(TextSafety.forTerminal(String(decoding: topic.prefix(200), as: UTF8.self)))",
        ]
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        logger.warning("message rejected", metadata: metadata)
    }
}
