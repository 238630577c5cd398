/// Receive latency (receive time − `ts`, in milliseconds) at p50 and p95, in 10 bytes per device.
///
/// A deterministic form of the "frugal streaming" quantile estimators (Ma, Muthukrishnan and
/// Sandler, 2013): each estimate steps toward the samples, never past one, and settles where a
/// share q of them lies below it, because it steps down once per 1/(1−q) − 1 samples below it
/// (19 for p95, 1 for p50) and up on every sample above. A step is 1/16 of the estimate (at least
/// 0.5 ms), so the estimate is within about 6% once settled; after three steps in the same
/// direction the step doubles with each further one (up to 16×), so it also gets from a first
/// outlier (a heartbeat that waited in the broker while the daemon was away) to the real latency
/// within a few heartbeats (p50) or about a hundred (p95). It follows recent traffic, not all of it.
///
/// Chosen over the alternatives the 32-byte budget allows: exponential buckets in the same bytes
/// resolve only a factor of √10 (a steady 300 ms link would read as "300–1000 ms"), and P² keeps
/// five markers (height and position) per quantile, ~80 bytes for two, and never forgets.
/// Negative latencies (a device clock running fast) need no special case.
struct LatencyQuantiles: Equatable {
    private(set) var p50: Float32 = .nan
    private(set) var p95: Float32 = .nan
    /// Bits 0–3: p50's last direction (bit 3 up) and run of same-direction steps (bits 0–2);
    /// bits 4–7: the same for p95; bits 8–12: samples below p95 since its last step down.
    private var state: UInt16 = 0

    static let divisor: Float32 = 16
    static let smallestStep: Float32 = 0.5
    /// Steps in one direction before the step starts doubling, and the largest doubling.
    static let runBeforeGrowth: UInt16 = 3
    static let maxRun: UInt16 = 7

    var isEmpty: Bool { p50.isNaN }

    mutating func add(_ milliseconds: Double) {
        guard milliseconds.isFinite else { return }
        let x = Float32(milliseconds)
        guard !isEmpty else {
            p50 = x
            p95 = x
            return
        }
        var p50State = state & 0xF
        var p95State = (state >> 4) & 0xF
        var below = (state >> 8) & 0x1F
        var p50Below: UInt16 = 0  // p50 steps down on every sample below
        Self.move(&p50, toward: x, &p50State, below: &p50Below, downEvery: 1)
        Self.move(&p95, toward: x, &p95State, below: &below, downEvery: 19)
        state = p50State | (p95State << 4) | (below << 8)
    }

    /// One estimator's step: up on each sample above, down once per `downEvery` samples below.
    static func move(
        _ estimate: inout Float32, toward x: Float32, _ nibble: inout UInt16, below: inout UInt16,
        downEvery: UInt16
    ) {
        guard x != estimate else { return }
        let up = x > estimate
        if !up {
            below += 1
            guard below >= downEvery else { return }
            below = 0
        }
        let lastUp = nibble & 8 != 0
        let run = up == lastUp ? min((nibble & 7) + 1, maxRun) : 0
        nibble = (up ? 8 : 0) | run
        let growth = run > runBeforeGrowth ? Float32(1 << Int(run - runBeforeGrowth)) : 1
        let step = max(smallestStep, abs(estimate) / divisor) * growth
        estimate = up ? min(x, estimate + step) : max(x, estimate - step)
    }
}
