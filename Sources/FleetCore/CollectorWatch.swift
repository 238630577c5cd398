/// The watcher's own health: the broker connection, stalls of the daemon's loop, and storage.
/// While the watcher cannot see, nobody goes offline; when it can see again, everyone gets
/// `startup_grace_s` (`graceEnd`) before a timeout counts.
struct CollectorWatch {
    /// A gap between ticks longer than this means the daemon itself was stalled (SIGSTOP, a
    /// suspended VM): it saw nothing meanwhile, so everybody gets a new grace period.
    static let stallThreshold = 5.0

    private(set) var brokerConnected = false
    /// Monotonic send time of the newest of the daemon's own probes that came back through the
    /// broker: everything published before it has reached the daemon, so a device silent until
    /// then was really silent. nil while the daemon does not probe (deadlines count up to now).
    /// A broker frozen by SIGSTOP keeps its TCP session open and delivers nothing; without this,
    /// every deadline passing meanwhile would declare a device offline (issue 11, item 5).
    private(set) var deliveredThrough: Double?
    /// Monotonic instant the broker connection was lost (or the daemon started without one).
    private var disconnectedSince: Double?
    private(set) var storageFailing = false
    /// Monotonic instant before which no device is declared offline by timeout.
    private(set) var graceEnd = -Double.infinity
    /// When the watcher last began to see again (a connect, the end of a stall): a device not
    /// heard since then has not shown yet whether it is alive.
    private(set) var seeingSince = -Double.infinity
    private var lastTick: Double
    private var graceSeconds: Double
    private var brokerDownP1After: Double

    init(_ detection: DetectionSettings, startedAt now: Moment) {
        graceSeconds = detection.startupGraceSeconds
        brokerDownP1After = detection.brokerDownP1AfterSeconds
        disconnectedSince = now.monotonic
        lastTick = now.monotonic
    }

    mutating func configure(_ detection: DetectionSettings) {
        graceSeconds = detection.startupGraceSeconds
        brokerDownP1After = detection.brokerDownP1AfterSeconds
    }

    var graceSecondsSetting: Double { graceSeconds }

    /// Subscribed again: everyone gets the grace period before a timeout can count.
    mutating func brokerConnected(at now: Moment) {
        brokerConnected = true
        disconnectedSince = nil
        graceEnd = max(graceEnd, now.monotonic + graceSeconds)
        seeingSince = now.monotonic
    }

    mutating func brokerDisconnected(at now: Moment) {
        if brokerConnected || disconnectedSince == nil { disconnectedSince = now.monotonic }
        brokerConnected = false
    }

    /// A tick of the daemon's loop; a long gap since the last one was a stall: grace for all.
    mutating func tick(at now: Moment) {
        if now.monotonic - lastTick > Self.stallThreshold {
            graceEnd = max(graceEnd, now.monotonic + graceSeconds)
            seeingSince = now.monotonic
        }
        lastTick = now.monotonic
    }

    func isStalled(at now: Moment) -> Bool { now.monotonic - lastTick > Self.stallThreshold }

    /// Seconds the broker has been unreachable, nil while connected.
    func brokerDownFor(at now: Moment) -> Double? { disconnectedSince.map { now.monotonic - $0 } }

    /// `broker-unreachable` holds once the broker has been unreachable for `broker_down_p1_after_s`,
    /// counted from the loss or, at start, from the first attempt.
    func brokerUnreachable(broker: String, at now: Moment) -> Problem? {
        guard !brokerConnected, let since = disconnectedSince, now.monotonic - since >= brokerDownP1After else {
            return nil
        }
        return Problem(
            rule: .brokerUnreachable, priority: .p1, scope: .collector,
            summary: "broker \(broker) unreachable for \(DurationText.seconds(now.monotonic - since))")
    }

    mutating func storage(failing: Bool) { storageFailing = failing }

    /// A probe sent at `sentAt` came back.
    mutating func delivered(through sentAt: Double) {
        deliveredThrough = max(deliveredThrough ?? sentAt, sentAt)
    }

    /// How far deadlines may be judged: up to the last proof of delivery, or now without probes.
    func deadlineHorizon(at now: Moment) -> Double { min(now.monotonic, deliveredThrough ?? .infinity) }
}
