/// What a `MinHeap` orders by: a moment (monotonic or wall seconds, as its owner decides).
protocol TimedEntry {
    var time: Double { get }
}

/// A binary min-heap of timed entries, earliest first: the engine's one shape for "what falls due
/// next" (devices' offline deadlines, opening-hours changes, SLA warnings and breaches), so a
/// tick pops what is due instead of looking at every device or incident. Owners keep entries
/// lazy: a popped entry is checked against the current state, and one that is stale is skipped
/// (or pushed back with the current moment).
struct MinHeap<Entry: TimedEntry> {
    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var first: Entry? { entries.first }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].time < entries[parent].time else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if its moment is at or before `now`.
    mutating func popDue(_ now: Double) -> Entry? {
        guard let top = entries.first, top.time <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < entries.count && entries[left].time < entries[smallest].time { smallest = left }
                if right < entries.count && entries[right].time < entries[smallest].time { smallest = right }
                if smallest == parent { break }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
