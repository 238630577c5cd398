/// Whether the broker delivers, not only whether its socket is open: the daemon publishes a
/// probe to its own topic (`PREFIX/$fleetwatch/probe/CLIENT_ID`, which it is subscribed to) and
/// waits for it to come back. A value that decides when to probe and what an echo, or its
/// absence, means; the engine loop publishes and tells the engine.
///
/// A broker frozen by SIGSTOP keeps its TCP sessions open: nothing arrives, but no disconnect is
/// reported until keepalive expires, 1.5 × keepalive later (PITFALLS.md). Every device deadline
/// passing meanwhile would have declared a device offline: a storm of offline incidents and
/// outages caused by the watcher's own infrastructure (SPEC §5). With the probe:
/// - a deadline counts only once a probe sent after it came back (`DetectionEngine.brokerDelivered`):
///   one is sent as soon as a deadline falls due, so detection waits one round trip, no more;
/// - a probe not back within `timeout` means the broker stopped delivering: treated like a
///   disconnect (nobody goes offline, `broker-unreachable` counts), and when one comes back, like
///   a reconnect (every device gets `startup_grace_s`).
/// A broker that never echoes a probe (an ACL that does not let the daemon write under
/// `PREFIX/$fleetwatch/`) is reported once and leaves detection as it was without probes.
struct LinkProbe {
    /// A probe at least this often while connected.
    static let interval = 1.0
    /// Not back within this: the broker does not deliver.
    static let timeout = 3.0
    /// Probes for due deadlines no closer together than this. A deadline that falls due while a
    /// probe is out waits for the next one: at 20 ms apart that was up to 20 ms of detection
    /// latency; 5 ms is at most 200 small messages a second while deadlines are due.
    static let spacing = 0.005
    /// Unanswered probes remembered (a frozen broker answers none); older ones are dropped.
    static let remembered = 64

    enum Echo: Equatable {
        /// Everything published before `sentAt` (monotonic) has been received.
        case delivered(through: Double)
        /// The same, after the link had been declared stalled: it delivers again.
        case resumed(through: Double)
    }

    enum Verdict: Equatable {
        /// A probe is not back within `timeout`, and probes have come back before.
        case stalled
        /// Not one probe has ever come back: probing is not possible with this broker.
        case neverAnswered
    }

    private var nextSequence: UInt64 = 1
    /// Probes sent and not answered, oldest first.
    private var unanswered: [(sequence: UInt64, sentAt: Double)] = []
    private var lastSent = -Double.infinity
    /// When the current wait for the oldest unanswered probe started counting: its send time,
    /// or later if the daemon itself was not running meanwhile (it could not read the echo).
    private var waitingSince = -Double.infinity
    private var lastCheck = -Double.infinity
    private var connected = false
    private(set) var stalled = false
    private(set) var everEchoed = false
    private var reportedNeverAnswered = false

    /// Subscribed: probe at once.
    mutating func connected(at now: Double) {
        connected = true
        stalled = false
        unanswered = []
        lastSent = -.infinity
        lastCheck = now
    }

    mutating func disconnected() {
        connected = false
        stalled = false
        unanswered = []
    }

    /// The sequence number of a probe to publish now, if one is due: every `interval`, and as
    /// soon as a deadline due at `awaiting` (monotonic) waits for proof that no probe sent since
    /// gives yet. The caller publishes it (and calls `failedToSend` if that fails).
    mutating func due(at now: Double, awaiting: Double?) -> UInt64? {
        guard connected else { return nil }
        let periodic = now - lastSent >= Self.interval
        let forDeadline =
            awaiting.map {
                everEchoed && !stalled && lastSent < $0 && now - lastSent >= Self.spacing
            } ?? false
        guard periodic || forDeadline else { return nil }
        let sequence = nextSequence
        nextSequence += 1
        if unanswered.isEmpty { waitingSince = now }
        unanswered.append((sequence, now))
        if unanswered.count > Self.remembered { unanswered.removeFirst(unanswered.count - Self.remembered) }
        lastSent = now
        return sequence
    }

    /// A probe came back. Older unanswered ones are answered by it too (the broker delivers in order).
    mutating func echoed(_ sequence: UInt64) -> Echo? {
        guard connected, let index = unanswered.firstIndex(where: { $0.sequence == sequence }) else { return nil }
        let sentAt = unanswered[index].sentAt
        unanswered.removeFirst(index + 1)
        if let next = unanswered.first { waitingSince = max(waitingSince, next.sentAt) }
        everEchoed = true
        if stalled {
            stalled = false
            return .resumed(through: sentAt)
        }
        return .delivered(through: sentAt)
    }

    /// About every pass: a probe unanswered for `timeout`? Said once per stall.
    mutating func check(at now: Double) -> Verdict? {
        defer { lastCheck = now }
        guard connected, !stalled, let oldest = unanswered.first else { return nil }
        // A gap since the last check: the daemon itself was stopped and could not read the echo.
        if now - lastCheck > Self.interval { waitingSince = now }
        guard now - max(oldest.sentAt, waitingSince) >= Self.timeout else { return nil }
        if everEchoed {
            stalled = true
            return .stalled
        }
        guard !reportedNeverAnswered else { return nil }
        reportedNeverAnswered = true
        return .neverAnswered
    }
}
