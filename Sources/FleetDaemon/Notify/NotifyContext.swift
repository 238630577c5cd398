import FleetCore

/// What every channel renders with and may change on reload: the zone of times in messages and
/// the sites' display names.
struct NotifyContext: Sendable, Equatable {
    var zone: String
    var time: TimeFormat
    var siteNames: [String: String]

    init(_ configuration: Configuration) {
        zone = configuration.sla.timezone
        time = TimeFormat(zoneIdentifier: configuration.sla.timezone)
        siteNames = configuration.sites.compactMapValues(\.name)
    }

    static func == (a: NotifyContext, b: NotifyContext) -> Bool { a.zone == b.zone && a.siteNames == b.siteNames }
}
