import FleetCore

/// Opening hours (SPEC §10): `[schedules.NAME]` calendars that `[sites.ID] schedule` names.
extension ConfigSchema {
    static var schedule: ConfigTable<ScheduleSettings> {
        ConfigTable<ScheduleSettings>(
            "Weekly opening hours, in `sla.timezone`, that sites name with `[sites.ID] schedule`. While a site is "
                + "closed, devices of a kind with `off_hours = \"sleep\"` may go silent (`sleeping`) without an "
                + "incident.",
            keys: [
                .weekdays(
                    "days", \.days, "Days the site opens.",
                    whyNotEmpty: "a schedule that never opens keeps its sites closed"),
                .openingHours(
                    "hours", \.hours,
                    "When it is open on those days, local time; ranges that touch (also across midnight, "
                        + "`…-24:00` then `00:00-…`) are one opening."),
                .localDates("holidays", \.holidays, "Local dates it stays closed all day."),
            ])
    }

    /// Every site's `schedule` names a configured schedule: checked after both tables are read.
    static var siteSchedulesExist: ConfigCheck<Configuration> {
        ConfigCheck<Configuration>(
            "every `[sites.ID] schedule` names a `[schedules.NAME]`"
        ) { r, config in
            for (id, site) in config.sites.sorted(by: { $0.key < $1.key }) {
                guard let name = site.schedule, config.schedules[name] == nil else { continue }
                let known = config.schedules.keys.sorted()
                let which =
                    known.isEmpty ? "no [schedules.NAME] is configured" : "configured: " + known.joined(separator: ", ")
                r.problem("sites.\(id).schedule", "names no schedule \"\(name)\" (\(which))")
            }
        }
    }
}
