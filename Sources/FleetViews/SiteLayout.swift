/// How the status page lays out its sites, so that a fleet of 10,000 or 100,000 devices stays a
/// page: sites that need attention first, open, and healthy sites collapsed once the fleet is
/// large; tiles within a budget, the devices that need attention before the working ones.
struct SiteLayout: Equatable {
    /// Above this many devices in the fleet, healthy sites start collapsed.
    static let collapseAbove = 200
    /// Tiles on one page at most (`?site=` pages have a larger one).
    static let tileBudget = 3000
    static let focusTileBudget = 20000

    enum Tiles: Equatable {
        /// Every device of the site.
        case all
        /// Only devices needing attention, the first `shown` of them; the rest are counted.
        case attention(shown: Int, hidden: Int)
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
        var fine: [Entry] = []
        for site in sites where site.needingAttention > 0 {
            let tiles: Tiles
            if site.devices.count <= budget {
                tiles = .all
                budget -= site.devices.count
            } else {
                let shown = min(site.needingAttention, budget)
                tiles = .attention(shown: shown, hidden: site.devices.count - shown)
                budget -= shown
            }
            attention.append(Entry(site: site, collapsed: false, tiles: tiles))
        }
        // Healthy sites get their tiles all or none, so that collapsed sites look alike.
        let healthy = sites.filter { $0.needingAttention == 0 }
        let healthyTiles = healthy.reduce(0) { $0 + $1.devices.count } <= budget
        let collapsed = !focused && fleetSize > Self.collapseAbove
        for site in healthy {
            fine.append(Entry(site: site, collapsed: collapsed, tiles: healthyTiles ? .all : .none))
        }
        entries = attention + fine
    }
}
