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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        append(unixSeconds, milliseconds: milliseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the same text as `format` as bytes: the CLI renders 100,000 rows this way
    /// (Benchmarks: cli).
    ///
    /// Total: any `Double` renders. Times before year 1 or after 9999 (a stored `1e308`, `-inf`)
    /// are shown as the nearest of those, NaN as the epoch; converting them to integers as they
    /// are would trap and take every listing that shows them down with it.
    public func append(_ unixSeconds: Double, milliseconds: Bool = false, to out: inout [UInt8]) {
        let unixSeconds = unixSeconds.isNaN ? 0 : min(max(unixSeconds, Self.earliest), Self.latest)
        // Round once to whole milliseconds, then split: avoids .120 printing as .119.
        let totalMilliseconds = (unixSeconds * 1000).rounded()
        let whole = milliseconds ? (totalMilliseconds / 1000).rounded(.down) : unixSeconds.rounded(.down)
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: whole))
        // Civil date by arithmetic (H. Hinnant), not Calendar: 18% of devices --json (Benchmarks: cli).
        let local = Int64(whole) + Int64(offset)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secs = Int(local - days * 86400)
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        Self.digits(year, 4, &out)
        out.append(UInt8(ascii: "-"))
        Self.digits(month, 2, &out)
        out.append(UInt8(ascii: "-"))
        Self.digits(day, 2, &out)
        out.append(UInt8(ascii: "T"))
        Self.digits(secs / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        Self.digits(secs % 3600 / 60, 2, &out)
        out.append(UInt8(ascii: ":"))
        Self.digits(secs % 60, 2, &out)
        if milliseconds {
            out.append(UInt8(ascii: "."))
            Self.digits(Int(totalMilliseconds - whole * 1000), 3, &out)
        }
        out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let abs = Swift.abs(offset)
        Self.digits(abs / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        Self.digits(abs % 3600 / 60, 2, &out)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range RFC 3339's four-digit years can say.
    static let earliest = -62_135_596_800.0
    static let latest = 253_402_300_799.0

    /// `value` in decimal, zero-padded to at least `width` digits (value ≥ 0).
    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var scratch: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = max(0, value)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0 && count < buffer.count
            while count < width && count < buffer.count {
                buffer[count] = UInt8(ascii: "0")
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }
}
