import Logging

/// How long each stage of an engine-loop pass took, and whether the pass was slow enough to say
/// so. The loop is the only thread that decides offline devices: a pass that holds it for long
/// (a commit waiting on the disk, a large batch) delays every deadline falling due meanwhile, and
/// the warning names the stage that did it (docs/benchmarks.md, detection).
struct PassTimer {
    /// A pass at least this long is reported.
    static let slowSeconds = 0.25

    enum Stage: Int, CaseIterable {
        case messages, tick, commit, history, duties
        var name: String {
            switch self {
            case .messages: "messages_ms"
            case .tick: "tick_ms"
            case .commit: "commit_ms"
            case .history: "history_ms"
            case .duties: "duties_ms"
            }
        }
    }

    private var started = 0.0
    private var last = 0.0
    private var spent = [Double](repeating: 0, count: Stage.allCases.count)
    private var reports = RateLimiter(burst: 5, period: 10)

    /// A pass starts at `now` (monotonic seconds).
    mutating func start(at now: Double) {
        started = now
        last = now
        for i in spent.indices { spent[i] = 0 }
    }

    /// `stage` ran from the previous mark until `now`.
    mutating func mark(_ stage: Stage, at now: Double) {
        spent[stage.rawValue] += now - last
        last = now
    }

    /// What to log about the pass that just ended: nil unless it took `slowSeconds` or more
    /// (at most five reports in ten seconds).
    mutating func finish() -> Logger.Metadata? {
        let total = last - started
        guard total >= Self.slowSeconds, let suppressed = reports.allow(at: last) else { return nil }
        var metadata: Logger.Metadata = ["pass_ms": "\(Self.milliseconds(total))"]
        for stage in Stage.allCases { metadata[stage.name] = "\(Self.milliseconds(spent[stage.rawValue]))" }
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        return metadata
    }

    private static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }
}
