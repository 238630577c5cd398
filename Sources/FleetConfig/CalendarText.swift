import FleetCore

/// The calendar notations of the configuration file: `09:00-12:00` ranges and `YYYY-MM-DD` dates.
enum CalendarText {
    /// `09:00-12:00`; the end may be `24:00`.
    static func range(_ text: String) -> ServiceRange? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let a = minutes(parts[0]), let b = minutes(parts[1]), a < b, a < 1440 else {
            return nil
        }
        return ServiceRange(startMinute: a, endMinute: b)
    }

    /// `HH:MM` as minutes after midnight, up to `24:00`; exactly two digits each (`+9:00` is not a time).
    static func minutes(_ text: Substring) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, hm[0].count == 2, hm[1].count == 2,
            (hm[0] + hm[1]).allSatisfy({ $0.isASCII && $0.isNumber }), let h = Int(hm[0]), let m = Int(hm[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440
        else { return nil }
        return h * 60 + m
    }

    /// `YYYY-MM-DD` naming a day that exists (no 2026-02-30).
    static func isLocalDate(_ text: String) -> Bool {
        let p = text.split(separator: "-")
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
            p.joined().allSatisfy({ $0.isASCII && $0.isNumber }),
            let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m)
        else { return false }
        return d >= 1 && d <= RFC3339.daysInMonth(y, m)
    }

    /// `HH:MM-HH:MM` of a range, as the file writes it.
    static func text(_ range: ServiceRange) -> String {
        func hm(_ minute: Int) -> String {
            let h = minute / 60
            let m = minute % 60
            return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
        }
        return "\(hm(range.startMinute))-\(hm(range.endMinute))"
    }
}
