/// What `LinkQuality` keeps per device: 32 bytes (`MemoryLayout<LinkRecord>.stride`, checked by a
/// test), for every device, so the budget of SPEC §11's "a few counters per device" is spent here.
///
/// - `seq` as its low 24 bits, compared by serial-number arithmetic (RFC 1982, as TCP does):
///   distances up to ±8 million are exact, a 2³² or 2⁶⁴ counter wrapping to 0 reads as the next
///   one, and the top 8 bits hold flags.
/// - `uptime_s` as the highest since the last reboot, rounded down to a Float32, so a later
///   heartbeat of the same boot never looks lower.
/// - `received`, `lost`, `duplicates`, `out_of_order` decay exponentially with a time constant of
///   `quality_window_s` (half-life window × ln 2): a steady rate r holds r × window of them, so
///   they count "about the last window" and their ratios are exact. The decay is applied in
///   steps of a 256th of the half-life (`tick`), coarse enough for Float16 to represent.
/// - The latency estimate (`LatencyQuantiles`, 9 bytes).
/// Reboots are not counted here: they are rare, and `RebootLog` keeps their times exactly.
struct LinkRecord: Equatable {
    private var seqAndFlags: UInt32 = 0
    /// Highest `uptime_s` since the last reboot; negative: none seen.
    private(set) var uptime: Float32 = -1
    private(set) var received: Float32 = 0
    private(set) var lost: Float32 = 0
    private(set) var latency = LatencyQuantiles()
    private(set) var duplicates: Float16 = 0
    private(set) var outOfOrder: Float16 = 0
    /// The decay clock when the counters were last decayed, in ticks (wrapping; see `LinkQuality`).
    private(set) var tick: UInt16 = 0

    struct Flag: OptionSet {
        let rawValue: UInt32
        /// A `seq` was seen since start or the last reboot: `seq` below is valid.
        static let hasSeq = Flag(rawValue: 1 << 24)
        static let dataLoss = Flag(rawValue: 1 << 25)
        static let rebootLoop = Flag(rawValue: 1 << 26)
        /// The record has been observed at least once (its `tick` is valid).
        static let started = Flag(rawValue: 1 << 27)
    }

    static let seqMask: UInt32 = 0xFF_FFFF
    /// A jump of more than this many heartbeats either way, without a reboot, is the device's counter
    /// starting over (firmware reset, a 16-bit counter wrapping): neither loss nor disorder.
    static let restartDistance = 1000
    /// Without `uptime_s`, a drop of `seq` to at most this is a reboot (SPEC §11).
    static let rebootSeq: Int64 = 10

    var flags: Flag { Flag(rawValue: seqAndFlags & ~Self.seqMask) }

    mutating func set(_ flag: Flag, _ on: Bool) {
        if on { seqAndFlags |= flag.rawValue } else { seqAndFlags &= ~flag.rawValue }
    }

    var seq: UInt32? { flags.contains(.hasSeq) ? seqAndFlags & Self.seqMask : nil }

    // MARK: what one heartbeat is

    /// How a heartbeat's `seq` and `uptime_s` relate to what came before.
    enum Step: Equatable {
        /// No `seq` (only counted as received).
        case unnumbered
        /// The first `seq` since start or the last reboot.
        case first
        /// Higher than the highest so far, after `gap` missing ones.
        case advance(gap: Int)
        case duplicate
        /// Lower than the highest, without a reboot: it arrived late.
        case late
        case reboot
        /// The counter jumped too far to mean anything (see `restartDistance`).
        case restart
    }

    /// The rules of SPEC §11, with two refinements where the letter would mislead: a late heartbeat
    /// also carries a lower `uptime_s`, so a decrease is a reboot only if `seq` does not say
    /// "late" (lower than the highest by at most `restartDistance`, and not a restart value ≤ 10);
    /// and "previous" is the highest `seq` so far, so one late heartbeat is one `out_of_order`.
    func classify(seq new: Int64?, uptime newUptime: Double?) -> Step {
        let uptimeKnown = newUptime != nil && uptime >= 0
        let uptimeDropped = uptimeKnown && (newUptime ?? 0) < Double(uptime)
        guard let new else { return uptimeDropped ? .reboot : .unnumbered }
        guard let highest = seq else { return uptimeDropped ? .reboot : .first }
        let distance = Self.serialDistance(from: highest, to: new)
        if distance > 0 {
            if uptimeDropped { return .reboot }  // a counter that survives reboots
            return distance > Self.restartDistance ? .restart : .advance(gap: distance - 1)
        }
        if distance == 0 { return uptimeDropped ? .reboot : .duplicate }
        let drop = -distance
        let restartValue = new <= Self.rebootSeq
        if uptimeKnown {
            if uptimeDropped { return !restartValue && drop <= Self.restartDistance ? .late : .reboot }
            return drop > Self.restartDistance ? .restart : .late
        }
        if restartValue { return .reboot }
        return drop > Self.restartDistance ? .restart : .late
    }

    /// `to − from` in 24-bit serial arithmetic: in −2²³ ..< 2²³.
    static func serialDistance(from: UInt32, to: Int64) -> Int {
        let low = UInt32(truncatingIfNeeded: to) & seqMask
        let d = Int((low &- from) & seqMask)
        return d >= 1 << 23 ? d - (1 << 24) : d
    }

    /// Counts a heartbeat classified as `step`; `latency` is receive time − `ts` in ms, if `ts` came.
    mutating func count(_ step: Step, seq new: Int64?, uptime newUptime: Double?, latency: Double?) {
        received = Self.increment(received)
        switch step {
        case .unnumbered:
            break
        case .first, .restart:
            setSeq(new)
        case .advance(let gap):
            lost = Self.increment(lost, by: Float32(gap))
            setSeq(new)
        case .duplicate:
            duplicates = Self.increment(duplicates)
        case .late:
            outOfOrder = Self.increment(outOfOrder)
            lost = max(0, lost - 1)  // it was counted lost when its gap was seen; it came after all
        case .reboot:
            uptime = -1
            setSeq(new)
        }
        if let newUptime, Double(uptime) < newUptime { uptime = Self.roundedDown(newUptime) }
        if let latency { self.latency.add(latency) }
    }

    /// The next `seq` starts the count again (see `LinkQuality.resumeAfterBlindness`).
    mutating func forgetSeq() { set(.hasSeq, false) }

    private mutating func setSeq(_ new: Int64?) {
        guard let new else {
            set(.hasSeq, false)
            return
        }
        seqAndFlags =
            (seqAndFlags & ~Self.seqMask) | (UInt32(truncatingIfNeeded: new) & Self.seqMask) | Flag.hasSeq.rawValue
    }

    static func roundedDown(_ value: Double) -> Float32 {
        let f = Float32(value)
        return Double(f) > value ? f.nextDown : f
    }

    static func increment(_ value: Float32, by n: Float32 = 1) -> Float32 { min(value + n, .greatestFiniteMagnitude) }

    static func increment(_ value: Float16) -> Float16 { value < .greatestFiniteMagnitude ? value + 1 : value }

    // MARK: decay

    /// Brings the counters to `tick` (ticks of a 256th of the half-life). The first call only sets
    /// the clock; a wrap of the 16-bit clock is prevented by `LinkQuality.sweep`.
    mutating func decay(to now: UInt16) {
        guard flags.contains(.started) else {
            tick = now
            set(.started, true)
            return
        }
        let elapsed = Int(now &- tick)
        guard elapsed > 0 else { return }
        tick = now
        guard elapsed < 16 * 256 else {  // 16 half-lives: below 1/65536 of what was there
            received = 0
            lost = 0
            duplicates = 0
            outOfOrder = 0
            return
        }
        let factor = Self.decayFactor(ticks: elapsed)
        received *= factor
        lost *= factor
        duplicates = Float16(Float32(duplicates) * factor)
        outOfOrder = Float16(Float32(outOfOrder) * factor)
    }

    /// 2^(−ticks/256).
    static func decayFactor(ticks: Int) -> Float32 {
        fractionalPowers[ticks & 255] / Float32(1 << (ticks >> 8))
    }

    private static let fractionalPowers: [Float32] = (0..<256).map { Float32(pow2(-Double($0) / 256)) }

    /// 2^x for x in (−1, 0], by the exponential series (FleetCore imports no C library).
    private static func pow2(_ x: Double) -> Double {
        let y = x * 0.693_147_180_559_945_3  // ln 2
        var term = 1.0
        var sum = 1.0
        for n in 1...20 {
            term *= y / Double(n)
            sum += term
        }
        return sum
    }
}
