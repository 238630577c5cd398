import ArgumentParser

/// One scripted change: `SECONDS:ACTION:DEVICE[,DEVICE…]`, where ACTION is `stop` (go silent),
/// `kill` (drop the connection, the broker sends the will), `resume`, `health=ok|degraded|fault`,
/// `metric=NAME=JSONVALUE`, `ramp=NAME=PER_SECOND` (the metric moves steadily from its current
/// value: `ramp=battery_pct=-2` drains 2 points a second, a positive rate charges), or one of the
/// link's: `loss=RATIO`, `duplicates=RATIO`, `reboot-every=N`, `latency=MS`, `errors=CODE[,CODE…]`
/// (`errors=` clears them). DEVICE may be `all`. At 0 s the link's are per-device options for the
/// whole run.
struct TimelineStep: ExpressibleByArgument, Sendable {
    enum Action: Sendable {
        case stop, kill, resume
        case health(String)
        case metric(String, String)
        case ramp(String, Double)
        case skew(Double)
        case malformed
        case loss(Double)
        case duplicates(Double)
        case rebootEvery(Int)
        case latency(Double)
        case errors([String])
    }

    var at: Double
    var action: Action
    var devices: [String]

    init(at: Double, _ action: Action, _ devices: [String]) {
        self.at = at
        self.action = action
        self.devices = devices
    }

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3, let at = Double(parts[0]), at >= 0 else { return nil }
        self.at = at
        self.devices = parts[2].split(separator: ",").map(String.init)
        let action = parts[1]
        switch action {
        case "stop": self.action = .stop
        case "kill": self.action = .kill
        case "resume": self.action = .resume
        case "malformed": self.action = .malformed
        default:
            if action.hasPrefix("skew="), let seconds = Double(action.dropFirst(5)) {
                self.action = .skew(seconds)
                break
            }
            if let link = Self.linkAction(action) {
                self.action = link
                break
            }
            if action.hasPrefix("health="), ["ok", "degraded", "fault"].contains(String(action.dropFirst(7))) {
                self.action = .health(String(action.dropFirst(7)))
            } else if action.hasPrefix("ramp=") {
                let kv = action.dropFirst(5).split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, let rate = Double(kv[1]), rate.isFinite else { return nil }
                self.action = .ramp(kv[0], rate)
            } else if action.hasPrefix("metric=") {
                let kv = action.dropFirst(7).split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { return nil }
                self.action = .metric(kv[0], kv[1])
            } else {
                return nil
            }
        }
        guard !devices.isEmpty else { return nil }
    }

    /// `loss=0.5`, `duplicates=0.1`, `reboot-every=4`, `latency=300`, `errors=E_A,E_B`.
    static func linkAction(_ text: String) -> Action? {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return nil }
        let value = parts[1]
        switch parts[0] {
        case "loss": return Double(value).flatMap { (0...1).contains($0) ? .loss($0) : nil }
        case "duplicates": return Double(value).flatMap { (0...1).contains($0) ? .duplicates($0) : nil }
        case "reboot-every": return Int(value).flatMap { $0 >= 0 ? .rebootEvery($0) : nil }
        case "latency": return Double(value).flatMap { $0 >= 0 ? .latency($0) : nil }
        case "errors": return .errors(value.split(separator: ",").map(String.init))
        default: return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
