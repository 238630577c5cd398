import FleetCore
import Logging

/// The hot path: the messages of a batch through validation into the engine, each counted;
/// rejections logged, rate-limited, so a flood of bad input cannot fill the disk.
struct Ingest {
    private let intake: MessageIntake
    private let logger: Logger
    private(set) var counters = IngestCounters()
    private var rejectionLog = RateLimiter(burst: 20, period: 10)

    init(configuration: Configuration, logger: Logger) {
        intake = MessageIntake(configuration: configuration)
        self.logger = logger
    }

    /// Applies the batch's messages in `range`, appending what the engine produced to `effects`.
    mutating func apply(_ batch: Inbox.Batch, _ range: Range<Int>, to engine: inout DetectionEngine,
                        effects: inout [EngineEffect], at now: Moment) {
        guard !range.isEmpty else { return }
        batch.bytes.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self)
            for (topicRange, payloadRange) in batch.messages[range] {
                let topic = UnsafeBufferPointer(rebasing: base[topicRange])
                let payload = UnsafeRawBufferPointer(rebasing: raw[payloadRange])
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
            "topic": "\(String(decoding: topic.prefix(200), as: UTF8.self))",
        ]
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        logger.warning("message rejected", metadata: metadata)
    }
}
