/// How the status page lays out its sites, so that a fleet of 10,000 or 100,000 devices stays a
/// page whose problems show at a glance: sites that need attention first, open, and healthy
/// sites collapsed once the fleet is large; in a large site the devices needing attention come
/// first and its working devices are folded away; tiles within a budget.
struct SiteLayout: Equatable {
    /// Above this many devices in the fleet, healthy sites start collapsed.
    static let collapseAbove = 200
    /// A site needing attention with more devices than this shows those devices first and
    /// folds its working ones (one offline tile among 200 green ones is lost otherwise).
    static let foldFineAbove = 48
    /// Tiles on one page at most (`?site=` pages have a larger one).
    static let tileBudget = 3000
    static let focusTileBudget = 20000

    enum Tiles: Equatable {
        /// Every device of the site, in id order.
        case all
        /// The devices needing attention, the first `shown` of them (the others counted), then
        /// the fine ones folded away as tiles (`fineTiles`) or only counted.
        case attentionFirst(shown: Int, hidden: Int, fineTiles: Bool)
        /// None: the site shows its counts and a link to its own page.
        case none
    }

    struct Entry: Equatable {
        var site: StatusPageSnapshot.Site
        var collapsed: Bool
        var tiles: Tiles
    }

    let entries: [Entry]

    init(_ sites: [StatusPageSnapshot.Site], focused: Bool) {
        let fleetSize = sites.reduce(0) { $0 + $1.devices.count }
        var budget = focused ? Self.focusTileBudget : Self.tileBudget
        var attention: [Entry] = []
        // Devices needing attention get their tiles first, across every site…
        var shown: [Int] = []
        for site in sites where site.needingAttention > 0 {
            let n =
                site.devices.count <= Self.foldFineAbove
                ? min(site.devices.count, budget)
                : min(site.needingAttention, budget)
            shown.append(n)
            budget -= n
        }
        // …then, while the budget lasts, the fine devices of those sites.
        for (site, n) in zip(sites.filter { $0.needingAttention > 0 }, shown) {
            let tiles: Tiles
            if site.devices.count <= Self.foldFineAbove && n == site.devices.count {
                tiles = .all
            } else {
                let fine = site.devices.count - site.needingAttention
                let fineTiles = fine > 0 && fine <= budget
                if fineTiles { budget -= fine }
                tiles = .attentionFirst(
                    shown: min(n, site.needingAttention),
                    hidden: site.needingAttention - min(n, site.needingAttention),
                    fineTiles: fineTiles)
            }
            attention.append(Entry(site: site, collapsed: false, tiles: tiles))
        }
        // Healthy sites get their tiles all or none, so that collapsed sites look alike.
        let healthy = sites.filter { $0.needingAttention == 0 }
        let healthyTiles = healthy.reduce(0) { $0 + $1.devices.count } <= budget
        let collapsed = !focused && fleetSize > Self.collapseAbove
        entries = attention + healthy.map { Entry(site: $0, collapsed: collapsed, tiles: healthyTiles ? .all : .none) }
    }
}
