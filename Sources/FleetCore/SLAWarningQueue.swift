/// The moments at which SLA-WARNING lines fall due, in one min-heap for every incident: the
/// once-a-second deadline check pops what is due instead of recomputing service time for every
/// open incident. Entries are lazy: an incident acknowledged, arrived or resolved meanwhile is
/// skipped when its entry is popped (`SLAClocks.warnings`).
struct SLAWarningQueue {
    struct Entry: Equatable {
        var warnAt: Double
        var incident: Int64
        var clock: SLAClock
        /// The deadline the warning is about: a popped entry whose incident's deadline has moved
        /// since (a reload) is stale.
        var due: Double
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].warnAt < entries[parent].warnAt else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now` (wall time).
    mutating func popDue(_ now: Double) -> Entry? {
        guard let top = entries.first, top.warnAt <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < entries.count && entries[left].warnAt < entries[smallest].warnAt { smallest = left }
                if right < entries.count && entries[right].warnAt < entries[smallest].warnAt { smallest = right }
                if smallest == parent { break }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
