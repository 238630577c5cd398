import Foundation

/// Renders Unix times as RFC 3339 with the offset of one time zone (the SLA zone), as the alert
/// log and the CLI print them: `2026-11-26T21:30:04.120+08:00`.
public struct TimeFormat: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public init(zone: TimeZone) {
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    public init(zoneIdentifier: String) {
        self.init(zone: TimeZone(identifier: zoneIdentifier) ?? TimeZone(secondsFromGMT: 0)!)
    }

    public func format(_ unixSeconds: Double, milliseconds: Bool = false) -> String {
        // Round once to whole milliseconds, then split: avoids .120 printing as .119.
        let totalMilliseconds = (unixSeconds * 1000).rounded()
        let whole = milliseconds ? (totalMilliseconds / 1000).rounded(.down) : unixSeconds.rounded(.down)
        let date = Date(timeIntervalSince1970: whole)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        var text = "\(pad(c.year!, 4))-\(pad(c.month!, 2))-\(pad(c.day!, 2))T\(pad(c.hour!, 2)):\(pad(c.minute!, 2)):\(pad(c.second!, 2))"
        if milliseconds {
            let ms = Int(totalMilliseconds - whole * 1000)
            text += ".\(pad(ms, 3))"
        }
        let sign = offset < 0 ? "-" : "+"
        let abs = Swift.abs(offset)
        return text + "\(sign)\(pad(abs / 3600, 2)):\(pad(abs % 3600 / 60, 2))"
    }

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
