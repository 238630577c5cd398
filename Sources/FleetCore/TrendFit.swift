import Foundation  // exp, sqrt

/// The trend of one metric of one device over the current monotone run: recursive least squares
/// with exponential forgetting (a sample `window` old weighs e⁻² ≈ 14 %), made robust by a
/// median-of-3 filter in front (a single outlier, the first sample too, never reaches the sums:
/// each point is the median of a sample and its two neighbours) and a Huber clip at three
/// noise scales (a burst moves the line by at most that much). Two filtered samples in a row on
/// the far side of the line, against its slope, start a new run: a robot put on charge.
///
/// Why not Theil–Sen over a ring of samples: measured on synthetic drains (`TrendFitTests`,
/// docs/rules.md), it needs a ring of 16 samples (~140 bytes) and, with ±2 points of noise, was
/// 5–6 % off (p90 15 %) where this, using every sample, is ~1 % off (p90 3 %) in 48 bytes.
///
/// Times are monotonic seconds, values `Float`: 48 bytes per forecast and device.
struct TrendFit: Sendable, Equatable {
    /// Monotonic time of the newest point in the sums: their time origin (so every t ≤ 0).
    private(set) var last = 0.0
    // Σw, Σw·t, Σw·y, Σw·t², Σw·t·y over the run, t measured from `last`.
    private var s0: Float = 0, st: Float = 0, sy: Float = 0, stt: Float = 0, sty: Float = 0
    /// Exponentially weighted mean absolute residual: the noise scale (σ ≈ 1.25 × this).
    private var noise: Float = 0
    /// The raw value at `last`, the middle one the median filter needs next.
    private var rawAtLast: Float = 0
    /// The newest raw sample, waiting for the one after it: seconds after `last`, and value.
    private var pendingOffset: Float = 0
    private var pendingValue: Float = 0
    /// The filtered value at `last` when it was against the trend: the next point decides.
    private var againstValue: Float = 0
    /// Points in the sums (saturating), raw samples of the run (saturating).
    private var points: UInt16 = 0
    private(set) var samples: UInt16 = 0
    private var hasPending = false
    private var againstOnce = false
    /// A new run started (the trend turned) and has not yet had `minSamples` samples.
    private(set) var turned = false

    /// The newest raw value, as the shortest decimal its `Float` holds (`81.94`, not `81.94000244…`).
    var latest: Double {
        let value = hasPending ? pendingValue : rawAtLast
        return Double("\(value)") ?? Double(value)
    }

    /// Time of the newest raw sample.
    var latestTime: Double { last + Double(hasPending ? pendingOffset : 0) }

    /// Adds one raw sample (times must increase); `window` sets the forgetting (τ = window / 2).
    /// A sample after a silence longer than `window` starts over: what came before says little.
    mutating func add(_ value: Float, at time: Double, window: Double) {
        guard value.isFinite else { return }
        if samples > 0 && time - latestTime > window { self = TrendFit() }
        if samples < .max { samples += 1 }
        if samples == 1 {
            // Not fed: the first point is the median of the first three, so that not even the
            // very first sample can be the outlier the line starts from.
            last = time
            rawAtLast = value
            return
        }
        guard time > latestTime else { return }
        guard hasPending else {
            pendingOffset = Float(time - last)
            pendingValue = value
            hasPending = true
            return
        }
        let middleTime = last + Double(pendingOffset)
        let median = Self.median(rawAtLast, pendingValue, value)
        let middleRaw = pendingValue
        feed(median, at: middleTime, tau: window / 2)
        rawAtLast = middleRaw
        pendingOffset = Float(time - last)
        pendingValue = value
    }

    /// What the samples say.
    enum Estimate: Equatable {
        /// Fewer than `minSamples` raw samples in the run.
        case tooFewSamples
        /// No slope that stands out of the noise.
        case flat
        /// The fitted line: its value `level` at monotonic time `at` (the newest point fitted),
        /// changing by `slope` per second.
        case line(level: Double, slope: Double, at: Double)
    }

    /// The line, when it is worth trusting: at least `minSamples` raw samples in the run, a slope
    /// beyond four standard errors (with noise σ ≈ 1.25 × the mean absolute residual; more with
    /// few residuals), and a change
    /// over half a `window` of more than 10⁻⁴ of the level (below that it is the `Float` sums'
    /// rounding, not the metric).
    func estimate(minSamples: Int, window: Double) -> Estimate {
        // Four points: three for a line and one residual for the noise scale (six raw samples).
        guard Int(samples) >= minSamples, points >= 4 else { return .tooFewSamples }
        guard let (level, slope) = line() else { return .flat }
        let spread = Double(stt) - Double(st) * Double(st) / Double(s0)
        let standardError = 1.25 * Double(noise) / max(spread, 1e-30).squareRoot()
        // Few residuals make a poor noise scale: demand more of the slope until there are many
        // (4 standard errors with 30 residuals and more, 28 with one).
        let residuals = Double(max(1, Int(points) - 3))
        let required = 4 * (1 + 6 / min(residuals, 30) - 0.2)
        guard abs(slope) > required * standardError, abs(slope) * window / 2 > 1e-4 * (abs(level) + 1) else {
            return .flat
        }
        return .line(level: level, slope: slope, at: last)
    }

    /// The run has its `minSamples` again after a turn.
    mutating func settle(minSamples: Int) {
        if turned && Int(samples) >= minSamples { turned = false }
    }

    // MARK: the sums

    /// Level at `last` and slope per second of the weighted least-squares line.
    private func line() -> (Double, Double)? {
        let s0 = Double(s0)
        let st = Double(st)
        let sy = Double(sy)
        let stt = Double(stt)
        let sty = Double(sty)
        let determinant = s0 * stt - st * st
        guard points >= 2, s0 > 0, determinant > 1e-9 * max(s0 * stt, 1e-30) else { return nil }
        let slope = (s0 * sty - st * sy) / determinant
        return ((sy - slope * st) / s0, slope)
    }

    /// One filtered point into the sums: first checked against the line (a turn starts a new run;
    /// a residual beyond three noise scales is clipped), then the origin moves to it.
    private mutating func feed(_ value: Float, at time: Double, tau: Double) {
        guard points > 0 else {
            last = time
            s0 = 1
            sy = value
            points = 1
            return
        }
        var y = Double(value)
        let dt = time - last
        if points >= 3, let (level, slope) = line() {
            let predicted = level + slope * dt
            let residual = y - predicted
            let sigma = 1.25 * Double(noise)
            let floor = 1e-6 * (abs(predicted) + 1)
            let tolerance = max(4 * sigma, 2 * abs(slope) * dt, floor)
            if slope != 0 && (residual > 0) != (slope > 0) && abs(residual) > tolerance {
                if againstOnce {
                    startRun(from: Double(againstValue), to: y, at: time, tau: tau)
                    return
                }
                againstOnce = true
                againstValue = value
            } else {
                againstOnce = false
            }
            let clip = max(3 * sigma, abs(slope) * dt, floor)
            if points >= 4 && abs(residual) > clip { y = predicted + (residual > 0 ? clip : -clip) }
            let n = Double(points) - 2
            let weight = n < 10 ? 1 / n : 0.1
            let observed = points > 4 ? min(abs(residual), 2 * clip) : abs(residual)
            noise = Float((1 - weight) * Double(noise) + weight * observed)
        }
        moveOrigin(to: time, tau: tau)
        s0 += 1
        sy += Float(y)
        if points < .max { points += 1 }
    }

    /// Re-expresses the sums with `time` as the origin and decays them by the time that passed.
    private mutating func moveOrigin(to time: Double, tau: Double) {
        let dt = time - last
        let decay = Float(exp(-dt / tau))
        let d = Float(dt)
        stt = (stt - 2 * d * st + d * d * s0) * decay
        sty = (sty - d * sy) * decay
        st = (st - d * s0) * decay
        s0 *= decay
        sy *= decay
        last = time
    }

    /// The trend turned: the run starts over from the first point against it (the one at `last`)
    /// and this one; with the raw sample still waiting, the run has three samples.
    private mutating func startRun(from first: Double, to value: Double, at time: Double, tau: Double) {
        s0 = 1
        st = 0
        sy = Float(first)
        stt = 0
        sty = 0
        moveOrigin(to: time, tau: tau)
        s0 += 1
        sy += Float(value)
        points = 2
        againstOnce = false  // the noise scale stays: it is the sensor's, not the run's
        samples = 3
        turned = true
    }

    static func median(_ a: Float, _ b: Float, _ c: Float) -> Float {
        max(min(a, b), min(max(a, b), c))
    }
}
