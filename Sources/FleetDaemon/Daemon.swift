import FleetConfig
import FleetCore
import FleetStore
import Foundation
import Logging

/// The daemon runtime: owns the store, the engine, the alert log and the broker link, and runs
/// the one loop that feeds the engine. Embeddable: `run()` blocks until SIGTERM/SIGINT.
public final class Daemon {
    /// How long the loop waits for messages before it ticks anyway: bounds detection latency.
    static let tickInterval = 0.05
    static let statusInterval = 1.0

    var configuration: Configuration
    let configPath: String?
    let logger: Logger
    let inbox = Inbox()
    var store: StoreWriter!
    var checkpointer: WALCheckpointer!
    var engine: DetectionEngine!
    var alertLog: AlertLog!
    var broker: BrokerLink!
    var intake: MessageIntake
    var counters = IngestCounters()
    var badInputLog = RateLimiter(burst: 20, period: 10)
    var pending: [EngineEffect] = []
    var startedAt = 0.0
    var lastStatusWrite = -Double.infinity
    var lastSeenFlush = -Double.infinity
    var stopping = false
    var databaseFailing = false
    var alertLogFailing = false
    /// Events whose line went out before their commit (the storage-failure OPEN itself).
    var writtenBeforeCommit: Set<EventIdentity> = []
    var signalSources: [DispatchSourceSignal] = []
    var control: ControlServer!
    let notifier = SystemdNotifier()
    let board = HealthBoard()
    var metricsServer: MetricsServer?
    var readySent = false
    /// The last broker failure logged, so retries do not repeat it.
    var lastBrokerProblem: String?
    var lastWatchdogPing = -Double.infinity
    var health = HealthSnapshot()

    public init(configuration: Configuration, configPath: String?, logger: Logger) {
        self.configuration = configuration
        self.configPath = configPath
        self.logger = logger
        self.intake = MessageIntake(configuration: configuration)
    }

    /// Runs until asked to stop; returns the process exit code.
    public func run() throws -> Int32 {
        try start()
        var batch = Inbox.Batch()
        while !stopping {
            inbox.take(into: &batch, timeout: Self.tickInterval)
            let now = Clock.now()
            if !batch.messages.isEmpty { health.ingestLagSeconds = max(0, now.monotonic - batch.firstArrival) }
            var applied = 0
            for (control, afterMessages) in batch.controls {
                ingest(batch, applied..<afterMessages, at: now)
                applied = afterMessages
                handle(control)
            }
            ingest(batch, applied..<batch.messages.count, at: now)
            pingWatchdog(at: now)
            pending.append(contentsOf: engine.tick(at: now))
            // last_seen in slices of 2,000 rows every 100 ms: one 20k-row commit a second blocked
            // the loop ~70 ms and pushed detection p99 past its target (Benchmarks: detection).
            if now.monotonic - lastSeenFlush >= 0.1 {
                lastSeenFlush = now.monotonic
                flush(lastSeen: engine.takeLastSeenUpdates(limit: 2000), at: now)
            }
            if now.monotonic - lastStatusWrite >= Self.statusInterval {
                lastStatusWrite = now.monotonic
                flush(lastSeen: [], at: now)
                if alertLogFailing { retryAlertLog(at: now) }
                writeStatus(at: now)
                publishHealth(at: now)
            } else if !pending.isEmpty {
                flush(lastSeen: [], at: now)
            }
        }
        shutdown()
        return 0
    }

    /// The hot path: messages of a batch through validation into the engine.
    func ingest(_ batch: Inbox.Batch, _ range: Range<Int>, at now: Moment) {
        guard !range.isEmpty else { return }
        batch.bytes.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self)
            for (topicRange, payloadRange) in batch.messages[range] {
                let topic = UnsafeBufferPointer(rebasing: base[topicRange])
                let payload = UnsafeRawBufferPointer(rebasing: raw[payloadRange])
                switch intake.apply(topic: topic, payload: payload, to: &engine, at: now, effects: &pending) {
                case .success: counters.accepted += 1
                case .failure(let rejection): rejected(rejection, topic: topic, at: now)
                case nil: break
                }
            }
        }
    }

    func rejected(_ rejection: Rejection, topic: UnsafeBufferPointer<UInt8>, at now: Moment) {
        counters.reject(rejection.reason)
        guard let suppressed = badInputLog.allow(at: now.monotonic) else { return }
        var metadata: Logger.Metadata = [
            "reason": "\(rejection.reason.rawValue)", "detail": "\(rejection.detail)",
            "topic": "\(String(decoding: topic.prefix(200), as: UTF8.self))",
        ]
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        logger.warning("message rejected", metadata: metadata)
    }
}
