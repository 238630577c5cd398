/// Strings many devices share (their sites and kinds), each kept once; a device keeps a 4-byte
/// index instead of a 16-byte `String` (round 2's compact registry entry, docs/benchmarks.md).
/// Entries are never removed: a site is one entry however many devices it had, and no more sites
/// than registrations can appear (bounded by `detection.max_devices`).
struct StringTable {
    private(set) var strings: [String] = []
    private var indices: [String: UInt32] = [:]

    /// The index of `string`, added if new.
    mutating func index(of string: String) -> UInt32 {
        if let known = indices[string] { return known }
        let index = UInt32(strings.count)
        strings.append(string)
        indices[string] = index
        return index
    }

    func existingIndex(of string: String) -> UInt32? { indices[string] }

    subscript(index: UInt32) -> String { strings[Int(index)] }
}
