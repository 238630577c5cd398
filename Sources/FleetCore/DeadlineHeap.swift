/// A binary min-heap of (deadline, device index): one structure for every device's offline
/// deadline, driven by the engine's tick. Entries are lazy: a heartbeat moves a device's real
/// deadline without touching the heap, and a popped entry that is early is pushed back with the
/// current deadline, so the heap sees about one push per device per timeout, not per heartbeat.
struct DeadlineHeap {
    struct Entry {
        var deadline: Double
        var device: Int32
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var first: Entry? { entries.first }

    mutating func push(_ deadline: Double, _ device: Int32) {
        entries.append(Entry(deadline: deadline, device: device))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if its deadline is at or before `now`.
    mutating func popDue(_ now: Double) -> Entry? {
        guard let top = entries.first, top.deadline <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
                if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
                if smallest == parent { break }
                entries.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
