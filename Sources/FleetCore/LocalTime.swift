/// The one owner of local-time rules: how times are printed (RFC 3339 in the SLA zone) and which
/// hours count as service time. Both come from `[sla]` and are built together, so everyone who
/// prints or counts time (engine, alert log, CLI) agrees, and a reload replaces both at once.
public struct LocalTime: Sendable {
    public let format: TimeFormat
    public let serviceCalendar: ServiceCalendar
    /// Local days and times in the same zone, for opening hours and recurring maintenance.
    public let clock: LocalClock

    public init(_ sla: SLASettings) {
        format = TimeFormat(zoneIdentifier: sla.timezone)
        serviceCalendar = ServiceCalendar(sla)
        clock = LocalClock(zone: format.zone)
    }
}
