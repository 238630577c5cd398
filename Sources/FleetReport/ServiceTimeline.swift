import FleetCore

/// The service time of a span as intervals with running totals, so the service time between any
/// two instants in it is two binary searches: a month of 10,000 devices' state changes is summed
/// without walking the calendar once per change.
struct ServiceTimeline {
    private let starts: [Double]
    private let ends: [Double]
    /// Service seconds before interval i.
    private let before: [Double]
    let from: Double
    let to: Double

    init(_ calendar: ServiceCalendar, from: Double, to: Double) {
        let intervals = calendar.serviceIntervals(from: from, to: to)
        starts = intervals.map(\.start)
        ends = intervals.map(\.end)
        var running = 0.0
        var before: [Double] = []
        before.reserveCapacity(intervals.count)
        for interval in intervals {
            before.append(running)
            running += interval.end - interval.start
        }
        self.before = before
        self.from = from
        self.to = to
    }

    /// Service seconds from the start of the span to `t` (clamped to the span).
    func elapsed(at t: Double) -> Double {
        // The last interval starting at or before t.
        var lo = 0
        var hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return 0 }
        let i = lo - 1
        return before[i] + (min(t, ends[i]) - starts[i])
    }

    /// Service seconds in [a, b).
    func seconds(from a: Double, to b: Double) -> Double {
        b > a ? elapsed(at: b) - elapsed(at: a) : 0
    }

    var total: Double { elapsed(at: to) }
}
