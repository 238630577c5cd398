import FleetCore

/// SLA maxima: a week of service time for the clocks counted in service time (the contract's are
/// hours; the calendar looks ten years ahead, so a longer clock could silently have no deadline),
/// thirty days for the wall-clock one.
extension ConfigSchema {
    static var sla: ConfigTable<SLASettings> {
        ConfigTable<SLASettings>(
            "The maintenance contract's service calendar and clocks (SPEC §6).",
            keys: [
                .timeZone(
                    "timezone", \.timezone,
                    "Zone of the service calendar, and of every time the CLI and the log show."),
                .weekdays("service_days", \.serviceDays, "Days with service time."),
                .dailyRanges("service_hours", \.serviceHours, "Service time on those days, local time."),
                .localDates("holidays", \.holidays, "Local dates without any service time (an extension of SPEC §4)."),
                .seconds(
                    "respond_within_s", \.respondWithinSeconds, NumberRange(above: 0, upTo: week),
                    "Service time from opening to `respond_by` (acknowledge by then)."),
                .seconds(
                    "p1_onsite_within_s", \.p1OnsiteWithinSeconds, NumberRange(above: 0, upTo: week),
                    "Service time from dispatch to a P1's `onsite_by`."),
                .seconds(
                    "p2_onsite_within_s", \.p2OnsiteWithinSeconds, NumberRange(above: 0, upTo: 30 * day),
                    "Wall-clock time from dispatch to a P2's `onsite_by`."),
                .seconds(
                    "resolve_within_s", \.resolveWithinSeconds, NumberRange(0, 365 * day),
                    "Wall-clock time from opening to `resolve_by`, the repair clock (0 turns it off); "
                        + "`fleetwatch parts` stops it."),
                .seconds(
                    "plan_within_s", \.planWithinSeconds, NumberRange(above: 0, upTo: 365 * day),
                    "Wall-clock time from opening to `plan_by`, for an incident marked as needing a major part."),
                .seconds(
                    "warn_before_s", \.warnBeforeSeconds, NumberRange(0, week),
                    "`SLA-WARNING` this long before `respond_by`, `onsite_by`, `resolve_by`, `plan_by` (service time where the "
                        + "deadline counts it); 0 turns warnings off."),
            ])
    }
}
