/// Device id → index into the engine's device array, looked up straight from the topic's bytes.
///
/// Why not `[String: Int32]`: a lookup by the id in a topic then needs a `String` first (a heap
/// allocation for ids over 15 bytes) and SipHash over it, for every message; and the dictionary
/// keeps a second 16-byte key per device. Here each bucket is one `UInt64` (the id's 32-bit hash
/// beside the index), the ids themselves stay in the device records, and a lookup compares
/// bytes only when the hash matches (Benchmarks: ingest, memory; docs/benchmarks.md).
///
/// Open addressing with linear probing, at most half full; an entry is removed when its device
/// is forgotten (backward-shift deletion, so no tombstones slow later lookups).
struct DeviceIndex {
    private static let seed = UInt32.random(in: .min ... .max) ^ 2_166_136_261
    /// 0 is empty; otherwise `hash << 32 | (index + 1)`.
    private var buckets = [UInt64](repeating: 0, count: 16)
    private(set) var count = 0

    /// FNV-1a, 32 bits: ids are short and made of `[A-Za-z0-9_-]`, so a simple byte hash spreads
    /// them well and costs a few nanoseconds. Its start value is random per process, so ids that
    /// collide cannot be worked out in advance to pile up in one probe run.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = seed
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    /// The index whose entry has `hash` and for which `matches` says the id is the same.
    func find(hash: UInt32, matches: (Int32) -> Bool) -> Int32? {
        let mask = buckets.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = buckets[slot]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let index = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if matches(index) { return index }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Adds an id not yet present (the caller looked it up first).
    mutating func insert(_ index: Int32, hash: UInt32) {
        if (count + 1) * 2 > buckets.count { grow() }
        place(UInt64(hash) << 32 | UInt64(UInt32(index) + 1))
        count += 1
    }

    /// Removes the entry of `index`, whose id has `hash`.
    mutating func remove(_ index: Int32, hash: UInt32) {
        let mask = buckets.count - 1
        let wanted = UInt64(hash) << 32 | UInt64(UInt32(index) + 1)
        var hole = Int(hash) & mask
        while buckets[hole] != wanted {
            if buckets[hole] == 0 { return }
            hole = (hole + 1) & mask
        }
        // Entries after the hole that would not be found past it move back into it.
        var next = (hole + 1) & mask
        while buckets[next] != 0 {
            let home = Int(UInt32(truncatingIfNeeded: buckets[next] >> 32)) & mask
            if (next - home) & mask >= (next - hole) & mask {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole] = 0
        count -= 1
    }

    private mutating func place(_ entry: UInt64) {
        let mask = buckets.count - 1
        var slot = Int(UInt32(truncatingIfNeeded: entry >> 32)) & mask
        while buckets[slot] != 0 { slot = (slot + 1) & mask }
        buckets[slot] = entry
    }

    private mutating func grow() {
        let old = buckets
        buckets = [UInt64](repeating: 0, count: old.count * 2)
        for entry in old where entry != 0 { place(entry) }
    }
}
