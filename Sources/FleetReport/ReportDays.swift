import Foundation

/// The local days of a period (in the SLA zone), for the daily charts: day i is
/// [bounds[i], bounds[i+1]). The first and last day are cut to the period.
struct ReportDays {
    let bounds: [Double]
    /// `MM-DD` of each day, as the charts label them.
    let labels: [String]
    /// The local date of each day, `YYYY-MM-DD`.
    let dates: [String]

    /// A bound on the days kept (the CLI refuses periods over 400 days).
    static let maximumDays = 1000

    init(_ period: ReportPeriod, zone: TimeZone) {
        let calendar = Calendar.inZone(zone)
        var bounds = [period.from]
        var dates: [String] = []
        var day = calendar.startOfDay(for: Date(timeIntervalSince1970: period.from))
        while true {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            dates.append(String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0))
            guard let next = calendar.date(byAdding: .day, value: 1, to: day),
                next.timeIntervalSince1970 < period.to, dates.count < Self.maximumDays
            else { break }
            day = next
            bounds.append(next.timeIntervalSince1970)
        }
        bounds.append(period.to)
        self.bounds = bounds
        self.dates = dates
        labels = dates.map { String($0.dropFirst(5)) }
    }

    var count: Int { bounds.count - 1 }

    /// The day `t` falls in, or nil outside the period.
    func index(of t: Double) -> Int? {
        guard t >= bounds[0], t < bounds[bounds.count - 1] else { return nil }
        var lo = 0
        var hi = bounds.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if bounds[mid] <= t { lo = mid } else { hi = mid }
        }
        return lo
    }
}
