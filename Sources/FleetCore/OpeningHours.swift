/// Opening hours (SPEC §10): which sites are closed now, when each next opens or closes, which
/// kinds may sleep while their site is closed, and the sleeping devices given their wake grace.
///
/// A site's opening and closing are deadlines in a heap of wall-clock times computed from its
/// calendar (the calendar is local wall time; a device's wake grace, a duration, goes into the
/// registry's monotonic heap instead). The tick pops what is due and returns the sites that
/// changed; the engine moves the devices. Only sites with a schedule and only waking devices
/// take any space here.
struct OpeningHours {
    /// A site opened or closed, and the moment its calendar says it did.
    struct SiteChange: Equatable {
        var site: String
        var opened: Bool
        var at: Double
    }

    /// A sleeping device whose site is open: it must be heard by `until` (wall).
    struct Wake: Equatable {
        var from: Double
        var until: Double
    }

    private var clock: LocalClock
    /// Scheduled sites, by the index their heap entries carry (the heap's `device` field).
    private var sites: [String] = []
    private var calendars: [OpeningCalendar] = []
    private var nextChecks = DeadlineHeap()
    /// Scheduled sites closed now.
    private(set) var closedSites: Set<String> = []
    /// Kinds with `off_hours = "sleep"`.
    private(set) var sleepKinds: Set<String> = []
    /// Every kind's `wake_grace_s` (a kind that stops sleeping wakes its sleepers with it too).
    private var wakeGraces: [String: Double] = [:]
    /// Devices waiting to be heard after their site opened.
    private(set) var waking: [DeviceSlot: Wake] = [:]

    init(_ configuration: Configuration, clock: LocalClock, at wall: Double) {
        self.clock = clock
        configure(configuration, clock: clock, at: wall)
    }

    /// A device that is silent now may be `sleeping` rather than `offline`.
    func maySleep(_ record: DeviceRecord) -> Bool {
        sleepKinds.contains(record.kind) && closedSites.contains(record.site)
    }

    func wakeGrace(kind: String) -> Double { wakeGraces[kind] ?? KindSettings().wakeGraceSeconds }

    /// Scheduled sites open at `wall`, and the calendar moment each opened (the calendar's
    /// horizon ago when it lies beyond it).
    func openings(at wall: Double) -> [String: Double] {
        var out: [String: Double] = [:]
        for (i, site) in sites.enumerated() where !closedSites.contains(site) {
            out[site] = calendars[i].phase(at: wall).since ?? wall - Double(OpeningCalendar.horizonDays) * 86_400
        }
        return out
    }

    /// Takes the new configuration (schedules, sites, kinds, zone) and returns the sites whose
    /// state it changed, as changes at `wall`. Waking devices keep their deadlines.
    @discardableResult
    mutating func configure(_ configuration: Configuration, clock: LocalClock, at wall: Double) -> [SiteChange] {
        self.clock = clock
        sleepKinds = Set(configuration.kinds.filter { $0.value.offHours == .sleep }.keys)
        wakeGraces = configuration.kinds.mapValues(\.wakeGraceSeconds)
        let closedBefore = closedSites
        sites = []
        calendars = []
        for site in configuration.sites.keys.sorted() {
            guard let calendar = OpeningCalendar.forSite(site, in: configuration, clock: clock) else { continue }
            sites.append(site)
            calendars.append(calendar)
        }
        closedSites = []
        nextChecks = DeadlineHeap()
        for (i, calendar) in calendars.enumerated() {
            let phase = calendar.phase(at: wall)
            if !phase.open { closedSites.insert(sites[i]) }
            nextChecks.push(nextCheck(phase, at: wall), Int32(i))
        }
        return closedBefore.symmetricDifference(closedSites).sorted().map {
            SiteChange(site: $0, opened: !closedSites.contains($0), at: wall)
        }
    }

    /// Sites that opened or closed by `wall`. Cheap when nothing is due: one look at the heap.
    mutating func takeChanges(at wall: Double) -> [SiteChange] {
        var changes: [SiteChange] = []
        while let entry = nextChecks.popDue(wall) {
            let i = Int(entry.device)
            let site = sites[i]
            let phase = calendars[i].phase(at: wall)
            if phase.open == closedSites.contains(site) {
                if phase.open { closedSites.remove(site) } else { closedSites.insert(site) }
                changes.append(SiteChange(site: site, opened: phase.open, at: phase.since ?? wall))
            }
            nextChecks.push(nextCheck(phase, at: wall), entry.device)
        }
        return changes
    }

    /// When to look at a site again: its next change, or a day from now when that is beyond the
    /// calendar's horizon (and to notice a wall clock set back).
    private func nextCheck(_ phase: OpeningCalendar.Phase, at wall: Double) -> Double {
        min(phase.until ?? .infinity, wall + 86_400)
    }

    // MARK: waking devices

    mutating func startWaking(_ slot: DeviceSlot, _ wake: Wake) { waking[slot] = wake }

    @discardableResult
    mutating func stopWaking(_ slot: DeviceSlot) -> Wake? {
        guard !waking.isEmpty else { return nil }
        return waking.removeValue(forKey: slot)
    }

    /// The summary of the `offline` incident of a device that did not wake.
    func didNotWakeSummary(_ slot: DeviceSlot, format: TimeFormat) -> String {
        guard let wake = waking[slot] else { return "did not wake after opening" }
        return "did not wake after opening at \(Self.clockTime(wake.from, format)) "
            + "(not heard within \(DurationText.seconds(wake.until - wake.from)))"
    }

    /// `09:00`, or `09:00:05` when the seconds matter: local time of day, as operators read it.
    static func clockTime(_ t: Double, _ format: TimeFormat) -> String {
        let text = Array(format.format(t))
        guard text.count >= 19 else { return String(text) }
        let seconds = String(text[17..<19])
        return String(text[11..<16]) + (seconds == "00" ? "" : ":" + seconds)
    }
}
