/// The kinds' forecasts, per device (SPEC §12): each heartbeat's value goes into the forecast's
/// `TrendFit`; the forecast opens when the trend reaches `reaches` in the future but within
/// `within_s` (never once the metric is already there: the metric rule speaks then), tells a
/// significantly different eta (an UPDATE, not one per heartbeat), and clears when the trend turns,
/// flattens or no longer gets there within `within_s`.
///
/// Memory is spent only where a forecast has something to follow: a device of a forecasting kind
/// costs 10 bytes (its group, its tracks' index, a fingerprint of the values it keeps sending);
/// a `Track` per forecast (`MemoryLayout<Track>.stride`, 72 bytes) is allocated the first time
/// one of its metrics changes, so a robot whose battery never moves allocates nothing.
struct Forecaster {
    /// One forecast of one device.
    struct Track: Equatable {
        var fit = TrendFit()
        /// Its condition was raised and has not cleared since.
        var firing = false
        /// The eta last told (OPEN / UPDATE) and last saved for the CLI, and when that was saved:
        /// monotonic seconds after `epoch`; NaN for none.
        var toldEta = Float.nan
        var savedEta = Float.nan
        var savedAt = -Float.infinity
    }

    /// What one heartbeat decided: incident findings and statuses to store for the CLI.
    struct Decisions {
        var findings: [Finding] = []
        var statuses: [ForecastStatus] = []
    }

    /// Index 0: no forecasts. A kind's forecasts are one group; devices point at their kind's.
    private var groups: [[ForecastRule]] = [[]]
    private var groupByKind: [String: UInt16] = [:]
    // Per device slot, empty while no kind forecasts.
    private var groupBySlot: [UInt16] = []
    /// The device's first track (its forecasts' tracks are consecutive); -1 while it has none.
    private var trackBySlot: [Int32] = []
    /// While a device has no tracks: a fingerprint of its forecast metrics' values (0: never heard).
    private var quiet: [UInt32] = []
    private var tracks: [Track] = []
    /// Blocks of tracks given back (reload, kind change), by size, for reuse.
    private var freeBlocks: [Int: [Int32]] = [:]
    /// Monotonic time the `Float` times of the tracks count from.
    private let epoch: Double
    /// A followed forecast's status is stored again at least this often (its value moves).
    private var refreshSeconds: Double

    init(kinds: [String: KindSettings], refreshSeconds: Double, at now: Moment) {
        epoch = now.monotonic
        self.refreshSeconds = refreshSeconds
        setGroups(kinds)
    }

    var tracksAllocated: Int { tracks.count }

    // MARK: devices

    /// A device was registered.
    mutating func added(_ slot: DeviceSlot, kind: String) {
        guard groups.count > 1 else { return }
        if Int(slot) < groupBySlot.count { return reset(slot, kind: kind) }  // a forgotten device's slot
        precondition(Int(slot) == groupBySlot.count, "devices are added in slot order")
        groupBySlot.append(groupByKind[kind] ?? 0)
        trackBySlot.append(-1)
        quiet.append(0)
    }

    /// The device's kind changed (inventory) or it must start over.
    mutating func reset(_ slot: DeviceSlot, kind: String) {
        let i = Int(slot)
        guard i < groupBySlot.count else { return }
        release(slot)
        groupBySlot[i] = groupByKind[kind] ?? 0
    }

    /// After maintenance: nothing is firing any more (no incident was kept), the fits stay.
    mutating func forgetFiring(_ slot: DeviceSlot) {
        forEachTrack(of: slot) { track, _ in
            track.firing = false
            track.toldEta = .nan
        }
    }

    /// A reload: forecasts may have changed. Devices whose kind's forecasts are the same keep
    /// their tracks; the others start over.
    mutating func configure(kinds: [String: KindSettings], refreshSeconds: Double, kindOfSlot: [String]) {
        let before = groups
        let groupOfSlot = groupBySlot
        self.refreshSeconds = refreshSeconds
        setGroups(kinds)
        if groups.count == 1 && groupOfSlot.isEmpty { return }
        var keep: [Bool] = []
        for (i, kind) in kindOfSlot.enumerated() {
            let old = i < groupOfSlot.count ? before[Int(groupOfSlot[i])] : []
            let new = groupByKind[kind] ?? 0
            keep.append(old == groups[Int(new)] && !old.isEmpty)
        }
        let oldTracks = trackBySlot
        let oldQuiet = quiet
        let oldStore = tracks
        groupBySlot = []
        trackBySlot = []
        quiet = []
        tracks = []
        freeBlocks = [:]
        guard groups.count > 1 else { return }
        for (i, kind) in kindOfSlot.enumerated() {
            let slot = DeviceSlot(i)
            added(slot, kind: kind)
            guard keep[i], i < oldTracks.count else { continue }
            quiet[i] = oldQuiet[i]
            guard oldTracks[i] >= 0 else { continue }
            let count = groups[Int(groupBySlot[i])].count
            let first = allocate(slot, count: count)
            for k in 0..<count { tracks[Int(first) + k] = oldStore[Int(oldTracks[i]) + k] }
        }
    }

    // MARK: heartbeats

    /// What this heartbeat's values mean for the device's forecasts. The hot path: a device of a
    /// kind without forecasts, or one whose forecast metrics did not change, costs a lookup;
    /// `record` is put together only for a status or a finding.
    mutating func observe(
        _ slot: DeviceSlot, _ beat: Heartbeat, _ record: @autoclosure () -> DeviceRecord, at now: Moment,
        format: TimeFormat
    ) -> Decisions {
        let i = Int(slot)
        guard i < groupBySlot.count, groupBySlot[i] != 0, !beat.metrics.isEmpty else { return Decisions() }
        let rules = groups[Int(groupBySlot[i])]
        var decisions = Decisions()
        var first = trackBySlot[i]
        if first < 0 {
            let print = Self.fingerprint(beat, rules)
            guard print != quiet[i] else { return decisions }
            let heardBefore = quiet[i] != 0
            quiet[i] = print
            guard heardBefore else {
                // First heard: the CLI lists the forecasts, without an eta yet.
                for rule in rules {
                    guard let value = Self.number(beat, rule.metric) else { continue }
                    decisions.statuses.append(
                        ForecastStatus(
                            device: record().id, name: rule.name, metric: rule.metric,
                            value: value, reaches: rule.reaches, eta: nil,
                            updatedAt: now.wall))
                }
                return decisions
            }
            first = allocate(slot, count: rules.count)
            // Their statuses were stored when first heard; the value is refreshed in due time.
            for k in 0..<rules.count { tracks[Int(first) + k].savedAt = Float(now.monotonic - epoch) }
        }
        for (k, rule) in rules.enumerated() {
            guard let value = Self.number(beat, rule.metric) else { continue }
            var track = tracks[Int(first) + k]
            decide(&track, rule, value, record(), at: now, format: format, into: &decisions)
            tracks[Int(first) + k] = track
        }
        return decisions
    }

    private func decide(
        _ track: inout Track, _ rule: ForecastRule, _ value: Double, _ record: @autoclosure () -> DeviceRecord,
        at now: Moment, format: TimeFormat, into decisions: inout Decisions
    ) {
        track.fit.add(Float(value), at: now.monotonic, window: rule.windowSeconds)
        track.fit.settle(minSamples: rule.minSamples)
        let prediction = Self.predict(track.fit, rule)
        var eta: (at: Double, slope: Double)?
        if case .reaches(let at, let slope) = prediction { eta = (at, slope) }
        if track.firing {
            switch prediction {
            case .undecided:
                break
            case .reaches(let at, let slope) where at - now.monotonic < rule.withinSeconds:
                if significant(at, since: absolute(track.toldEta), rule, at: now) {
                    track.toldEta = Float(at - epoch)
                    decisions.findings.append(
                        .revised(
                            problem(
                                rule, record(), value, eta: at, slope: slope,
                                at: now, format)))
                }
            case .none, .reaches:
                track.firing = false
                track.toldEta = .nan
                decisions.findings.append(
                    .cleared(
                        IncidentKey(
                            rule: RuleID(rule.name), scope: .device,
                            device: record().id)))
            }
        } else if let eta, eta.at > now.monotonic, eta.at - now.monotonic < rule.withinSeconds,
            !rule.isPast(value)
        {
            track.firing = true
            track.toldEta = Float(eta.at - epoch)
            decisions.findings.append(
                .holds(
                    problem(
                        rule, record(), value, eta: eta.at, slope: eta.slope,
                        at: now, format)))
        }
        if case .undecided = prediction, track.savedAt > -.infinity { return }
        let saved = absolute(track.savedEta)
        let due =
            track.savedAt == -.infinity || (saved == nil) != (eta == nil)
            || (eta.map { significant($0.at, since: saved, rule, at: now) } ?? false)
            || now.monotonic - (Double(track.savedAt) + epoch) >= refreshSeconds
        guard due else { return }
        track.savedAt = Float(now.monotonic - epoch)
        track.savedEta = eta.map { Float($0.at - epoch) } ?? .nan
        decisions.statuses.append(
            ForecastStatus(
                device: record().id, name: rule.name, metric: rule.metric, value: value, reaches: rule.reaches,
                eta: eta.map { now.wall + ($0.at - now.monotonic) }, updatedAt: now.wall))
    }

    /// A new eta is news when it moved by a tenth of the time that is left, and by at least a
    /// sixtieth of `within_s` (30 s for the built-in) and a second.
    private func significant(_ eta: Double, since before: Double?, _ rule: ForecastRule, at now: Moment) -> Bool {
        guard let before else { return true }
        let left = max(0, eta - now.monotonic)
        return abs(eta - before) >= max(0.1 * left, rule.withinSeconds / 60, 1)
    }

    /// A track's time (seconds after `epoch`, NaN for none) as a monotonic time.
    private func absolute(_ time: Float) -> Double? { time.isNaN ? nil : Double(time) + epoch }

    // MARK: what the engine asks

    /// The problem a forecast still predicts (for an operator's resolve that did not make it go away).
    func holdingProblem(
        _ slot: DeviceSlot, named name: RuleID, _ record: DeviceRecord, at now: Moment,
        format: TimeFormat
    ) -> Problem? {
        var found: Problem?
        readTracks(of: slot) { track, rule in
            guard rule.name == name.rawValue, track.firing,
                case .reaches(let at, let slope) = Self.predict(track.fit, rule),
                at - now.monotonic < rule.withinSeconds
            else { return }
            found = problem(rule, record, track.fit.latest, eta: at, slope: slope, at: now, format)
        }
        return found
    }

    /// After a restart: the device's forecast `name` has an open incident, so it is firing (its
    /// fit starts empty and decides nothing until it has `min_samples` again).
    mutating func restoreFiring(_ slot: DeviceSlot, named name: RuleID, eta: Double?, at now: Moment) {
        let i = Int(slot)
        guard i < groupBySlot.count, groupBySlot[i] != 0,
            groups[Int(groupBySlot[i])].contains(where: { $0.name == name.rawValue })
        else { return }
        if trackBySlot[i] < 0 { _ = allocate(slot, count: groups[Int(groupBySlot[i])].count) }
        let told = eta.map { Float($0 - now.wall + now.monotonic - epoch) } ?? .nan
        forEachTrack(of: slot) { track, rule in
            guard rule.name == name.rawValue else { return }
            track.firing = true
            track.toldEta = told
        }
    }

    /// Whether `rule` names a forecast of `kind`.
    func isForecast(_ rule: RuleID, kind: String?) -> Bool {
        guard let kind, let group = groupByKind[kind] else { return false }
        return groups[Int(group)].contains { $0.name == rule.rawValue }
    }

    /// Forecast names by kind, for pruning what is stored about forecasts no longer configured.
    var namesByKind: [String: [String]] { groupByKind.mapValues { groups[Int($0)].map(\.name) } }

    // MARK: parts

    /// What a fit says about reaching the rule's level.
    enum Prediction: Equatable {
        /// Too few samples, and the trend did not turn: nothing to say yet.
        case undecided
        /// The trend does not get there: flat, or going the other way (or just turned).
        case none
        /// It gets there at monotonic time `at` (in the past once it has).
        case reaches(at: Double, slope: Double)
    }

    static func predict(_ fit: TrendFit, _ rule: ForecastRule) -> Prediction {
        switch fit.estimate(minSamples: rule.minSamples, window: rule.windowSeconds) {
        case .tooFewSamples:
            return fit.turned ? .none : .undecided
        case .flat:
            return .none
        case .line(let level, let slope, let at):
            guard rule.direction == .falling ? slope < 0 : slope > 0 else { return .none }
            return .reaches(at: at + (rule.reaches - level) / slope, slope: slope)
        }
    }

    /// `battery_pct 42 falling 2.1/min: reaches 15 at 2026-12-01T11:32:05+08:00 (in 13 min)`.
    private func problem(
        _ rule: ForecastRule, _ record: DeviceRecord, _ value: Double, eta: Double, slope: Double,
        at now: Moment, _ format: TimeFormat
    ) -> Problem {
        let wall = now.wall + (eta - now.monotonic)
        let left = eta - now.monotonic
        let moving = rule.direction == .falling ? "falling" : "rising"
        let when =
            left > 0
            ? "reaches \(MetricValue.number(rule.reaches)) at \(format.format(wall)) (in \(Self.duration(left)))"
            : "reached \(MetricValue.number(rule.reaches)) at \(format.format(wall))"
        var problem = Problem.device(
            RuleID(rule.name), rule.priority, record,
            summary: "\(rule.metric) \(MetricValue.number(value)) \(moving) "
                + "\(Self.rate(abs(slope) * 60))/min: \(when)")
        problem.eta = wall
        return problem
    }

    /// `12 min`, `1 h 5 min`, `40 s`: how long until the eta, for people.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 120 { return "\(s) s" }
        let minutes = (s + 30) / 60
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }

    /// A rate with two significant digits: `0.42`, `2.1`, `120`.
    static func rate(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "0" }
        var scale = 1.0
        while value * scale < 10 && scale < 1e6 { scale *= 10 }
        while value * scale >= 100 { scale /= 10 }
        return "\(MetricValue.number((value * scale).rounded() / scale))"
    }

    /// A number or boolean metric as a number; nil when absent or a string.
    static func number(_ beat: Heartbeat, _ name: String) -> Double? {
        switch beat.metric(named: name) {
        case .number(let n)?: n.isFinite ? n : nil
        case .bool(let b)?: b ? 1 : 0
        default: nil
        }
    }

    /// FNV-1a over the forecast metrics' values (never 0, which means "never heard").
    static func fingerprint(_ beat: Heartbeat, _ rules: [ForecastRule]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for rule in rules {
            let bits = number(beat, rule.metric).map { Float($0).bitPattern } ?? 0x7FC0_0001
            hash = (hash ^ bits) &* 16_777_619
        }
        return hash == 0 ? 1 : hash
    }

    private mutating func setGroups(_ kinds: [String: KindSettings]) {
        groups = [[]]
        groupByKind = [:]
        for name in kinds.keys.sorted() {
            guard let forecasts = kinds[name]?.forecasts, !forecasts.isEmpty, groups.count < Int(UInt16.max) else {
                continue
            }
            groupByKind[name] = UInt16(groups.count)
            groups.append(forecasts)
        }
    }

    private mutating func allocate(_ slot: DeviceSlot, count: Int) -> Int32 {
        let first: Int32
        if var blocks = freeBlocks[count], let reused = blocks.popLast() {
            freeBlocks[count] = blocks
            first = reused
            for k in 0..<count { tracks[Int(first) + k] = Track() }
        } else {
            first = Int32(tracks.count)
            tracks.append(contentsOf: repeatElement(Track(), count: count))
        }
        trackBySlot[Int(slot)] = first
        return first
    }

    private mutating func release(_ slot: DeviceSlot) {
        let i = Int(slot)
        if trackBySlot[i] >= 0 {
            freeBlocks[groups[Int(groupBySlot[i])].count, default: []].append(trackBySlot[i])
        }
        trackBySlot[i] = -1
        quiet[i] = 0
    }

    private mutating func forEachTrack(of slot: DeviceSlot, _ body: (inout Track, ForecastRule) -> Void) {
        let i = Int(slot)
        guard i < groupBySlot.count, trackBySlot[i] >= 0 else { return }
        for (k, rule) in groups[Int(groupBySlot[i])].enumerated() { body(&tracks[Int(trackBySlot[i]) + k], rule) }
    }

    private func readTracks(of slot: DeviceSlot, _ body: (Track, ForecastRule) -> Void) {
        let i = Int(slot)
        guard i < groupBySlot.count, trackBySlot[i] >= 0 else { return }
        for (k, rule) in groups[Int(groupBySlot[i])].enumerated() { body(tracks[Int(trackBySlot[i]) + k], rule) }
    }
}
