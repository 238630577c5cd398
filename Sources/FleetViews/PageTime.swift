import FleetCore

/// Times and durations as the page shows them: local times in the SLA zone (`14:05`, or
/// `11-27 09:30` when not today), durations in at most two units (`1 h 05 min`, `3 天 4 小时`).
struct PageTime: Sendable {
    let format: TimeFormat
    let units: PageText.DurationUnits
    let now: Double

    /// `2026-11-26T21:30:04+08:00` → `21:30` today, `11-26 21:30` another day.
    func clock(_ t: Double) -> String {
        let full = format.format(t)
        let date = full.prefix(10)
        let time = full.dropFirst(11).prefix(5)
        return date == format.format(now).prefix(10) ? String(time) : "\(full.dropFirst(5).prefix(5)) \(time)"
    }

    /// `2026-11-26 21:30:04`: for details and the update line.
    func full(_ t: Double) -> String {
        let full = format.format(t)
        return "\(full.prefix(10)) \(full.dropFirst(11).prefix(8))"
    }

    /// A duration (its absolute value), rounded down to its two largest units.
    func duration(_ seconds: Double) -> String {
        let total = Int(min(abs(seconds), 1e9).rounded(.down))
        let (d, h, m, s) = (total / 86400, total % 86400 / 3600, total % 3600 / 60, total % 60)
        func part(_ n: Int, _ unit: String) -> String { "\(n)\(units.numberGap)\(unit)" }
        let parts: [String]
        if d > 0 {
            parts = h > 0 ? [part(d, units.day), part(h, units.hour)] : [part(d, units.day)]
        } else if h > 0 {
            parts = m > 0 ? [part(h, units.hour), part(m, units.minute)] : [part(h, units.hour)]
        } else if m > 0 {
            parts = [part(m, units.minute)]
        } else {
            parts = [part(s, units.second)]
        }
        return parts.joined(separator: units.partGap)
    }
}
