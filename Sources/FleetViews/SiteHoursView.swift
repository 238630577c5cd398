import FleetCore
import Foundation

/// What `fleetwatch devices` (and `/api/v1/devices`, and the status page) shows of a site's
/// opening hours (SPEC §10): its schedule, whether it is open, and when it next opens and
/// closes. Computed from the configuration once per site, so a listing of 100,000 devices pays a
/// dictionary lookup per row.
public struct SiteHoursView: Sendable, Equatable {
    public var schedule: String?
    public var open = true
    public var nextOpen: Double?
    public var nextClose: Double?
    /// `,"schedule":…,"next_open":…,"next_close":…` for the device's JSON object.
    public var json: [UInt8] = []
    /// The HOURS column: `branch: closed, opens 2026-11-27 09:00`; `-` for always open.
    public var text = "-"

    public init(site: String, configuration: Configuration, time: TimeFormat, at now: Double) {
        schedule = configuration.sites[site]?.schedule
        if let calendar = OpeningCalendar.forSite(site, in: configuration, clock: LocalClock(zone: time.zone)) {
            let phase = calendar.phase(at: now)
            open = phase.open
            let change = phase.until
            let after = change.flatMap { calendar.phase(at: $0).until }
            (nextOpen, nextClose) = phase.open ? (after, change) : (change, after)
        }
        var out = JSONBytes(capacity: 128)
        out.raw(",\"schedule\":")
        out.string(schedule)
        out.raw(",\"next_open\":")
        out.time(nextOpen, time)
        out.raw(",\"next_close\":")
        out.time(nextClose, time)
        json = out.bytes
        if let schedule {
            let minute = { (t: Double?) in
                t.map { String(time.format($0).prefix(16)).replacingOccurrences(of: "T", with: " ") }
            }
            text =
                open
                ? "\(schedule): open, closes \(minute(nextClose) ?? "never")"
                : "\(schedule): closed, opens \(minute(nextOpen) ?? "not within a year")"
        }
    }

    /// One view per site, built on first use.
    public struct Cache {
        let configuration: Configuration
        let time: TimeFormat
        let now: Double
        private var views: [String: SiteHoursView] = [:]

        public init(configuration: Configuration, time: TimeFormat, at now: Double) {
            self.configuration = configuration
            self.time = time
            self.now = now
        }

        public mutating func view(_ site: String) -> SiteHoursView {
            if let view = views[site] { return view }
            let view = SiteHoursView(site: site, configuration: configuration, time: time, at: now)
            views[site] = view
            return view
        }
    }
}
