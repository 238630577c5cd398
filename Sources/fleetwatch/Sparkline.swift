/// A Unicode sparkline (`▁▂▃▄▅▆▇█`): `values` at `times` averaged into `width` columns over the
/// span they cover, each column scaled between the columns' lowest and highest; a column without
/// values (a gap in the data) is a space, a flat line the middle bar.
enum Sparkline {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func render(_ points: [(time: Double, value: Double)], width: Int = 32) -> String {
        let times = points.map(\.time)
        guard width > 0, let from = times.min(), let last = times.max() else { return "" }
        guard last > from else { return String(bars[3]) }
        let until = last + (last - from) / Double(width * 4)
        var sums = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        for (time, value) in points where time >= from && time < until && value.isFinite {
            let column = min(width - 1, Int((time - from) / (until - from) * Double(width)))
            sums[column] += value
            counts[column] += 1
        }
        let columns = zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : Double.nan }
        let present = columns.filter { !$0.isNaN }
        guard let low = present.min(), let high = present.max() else { return String(repeating: " ", count: width) }
        return String(
            columns.map { value -> Character in
                if value.isNaN { return " " }
                guard high > low else { return bars[3] }
                return bars[min(bars.count - 1, Int((value - low) / (high - low) * Double(bars.count)))]
            })
    }
}
