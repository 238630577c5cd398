/// When an SLA-WARNING line falls due (wall seconds), in one heap for every incident: the
/// once-a-second deadline check pops what is due instead of recomputing service time for every
/// open incident. Entries are lazy: an incident acknowledged, arrived or resolved meanwhile is
/// skipped when its entry is popped (`SLAClocks.warning`).
struct SLAWarning: TimedEntry, Equatable {
    var warnAt: Double
    var incident: Int64
    var clock: SLAClock
    /// The deadline the warning is about: a popped entry whose incident's deadline has moved
    /// since (a reload) is stale.
    var due: Double

    var time: Double { warnAt }
}
