/// The last value of each metric of each device, for `fleetwatch device` (SPEC §11 `metrics`).
///
/// Encoded into one byte arena: per device an 8-byte span, and per metric the 2-byte index of its
/// name, a type byte and the value (8 bytes for a number): 22 bytes for a typical robot. Names are
/// kept once for all devices (`names`): a fleet uses a few dozen, and spelled out in every
/// device's entries they were 45 of the load generator's 107 bytes (docs/benchmarks.md, memory).
/// A heartbeat with the same
/// metric names as the last (the usual case) overwrites the values in place, so there is no
/// allocation per heartbeat once the arena has grown; a new set of names is written at the end
/// (merged with the old ones: a metric a heartbeat leaves out keeps its last value), and the
/// arena is compacted when half of it is stale. Keeping the decoder's `[Metric]` instead would
/// cost ~350 bytes per device (its buffer holds eight 40-byte entries).
struct MetricSnapshots {
    private struct Span {
        var offset: UInt32 = 0
        var length: UInt16 = 0
        var capacity: UInt16 = 0
    }

    private enum Tag: UInt8 {
        case number = 0
        case falseValue = 1
        case trueValue = 2
        case string = 3
    }

    private var arena: [UInt8] = []
    private var spans: [Span] = []
    private var stale = 0
    /// Every metric name seen, by index; `nameIndex` finds a name's index.
    private var names: [String] = []
    private var nameIndex: [String: UInt16] = [:]
    /// Distinct names kept at most (an index is two bytes); metrics with further names are not
    /// kept, as names over 255 bytes are not: a device inventing names cannot grow the table
    /// beyond ~4 MB.
    static let maxNames = Int(UInt16.max)
    /// Below this the arena is never compacted (not worth a pass).
    static let compactionFloor = 1 << 16

    /// Bytes held, for the memory figures of the benchmark.
    var arenaBytes: Int { arena.count }

    mutating func added(_ slot: DeviceSlot) {
        let i = Int(slot)
        if spans.count <= i { spans.append(contentsOf: repeatElement(Span(), count: i + 1 - spans.count)) }
    }

    /// A forgotten device: its values are dropped (the arena's bytes go at the next compaction).
    mutating func forget(_ slot: DeviceSlot) {
        guard Int(slot) < spans.count else { return }
        stale += Int(spans[Int(slot)].capacity)
        spans[Int(slot)] = Span()
    }

    // MARK: writing

    /// A heartbeat's metrics (not empty).
    mutating func update(_ slot: DeviceSlot, _ metrics: [Metric]) {
        let span = spans[Int(slot)]
        if span.length > 0, overwriteInPlace(span, metrics) { return }
        let size = mergedSize(span, metrics)
        guard size > 0, size <= Int(UInt16.max), arena.count + size <= Int(UInt32.max) else { return }
        let offset = arena.count
        for metric in metrics { append(metric) }
        copyEntries(of: span, notIn: metrics)
        stale += Int(span.capacity)
        spans[Int(slot)] = Span(
            offset: UInt32(offset), length: UInt16(arena.count - offset),
            capacity: UInt16(arena.count - offset))
        if stale > Self.compactionFloor && stale > arena.count / 2 { compact() }
    }

    /// Same names in the same order, values of the same encoded size: the values are rewritten.
    /// One pass over the arena's bytes, checking and writing together (it was 9% of the daemon's
    /// CPU at full ingest as two passes through the array's checked subscripts): a mismatch part
    /// way leaves new values only in entries whose names `metrics` has, which `update` then
    /// replaces anyway.
    private mutating func overwriteInPlace(_ span: Span, _ metrics: [Metric]) -> Bool {
        let names = self.names
        return arena.withUnsafeMutableBufferPointer { bytes in
            var position = Int(span.offset)
            let end = position + Int(span.length)
            for metric in metrics {
                guard position < end, let entry = Self.entry(in: UnsafeBufferPointer(bytes), at: position),
                    entry.next <= end, names[entry.name] == metric.name,
                    entry.valueSize == Self.valueSize(metric.value)
                else { return false }
                Self.writeValue(metric.value, at: entry.valueStart, in: bytes)
                position = entry.next
            }
            return position == end
        }
    }

    private func mergedSize(_ span: Span, _ metrics: [Metric]) -> Int {
        var size = metrics.reduce(0) { $0 + encodedSize($1) }
        forEachEntry(of: span) { entry in
            if !metrics.contains(where: { nameEquals(entry.name, $0.name) }) { size += entry.next - entry.start }
        }
        return size
    }

    private mutating func copyEntries(of span: Span, notIn metrics: [Metric]) {
        var position = Int(span.offset)
        let end = position + Int(span.length)
        while position < end, let entry = entry(at: position) {
            if !metrics.contains(where: { nameEquals(entry.name, $0.name) }) {
                for i in entry.start..<entry.next { arena.append(arena[i]) }
            }
            position = entry.next
        }
    }

    private mutating func append(_ metric: Metric) {
        guard encodedSize(metric) > 0, let index = intern(metric.name) else { return }
        arena.append(UInt8(truncatingIfNeeded: index))
        arena.append(UInt8(truncatingIfNeeded: index >> 8))
        switch metric.value {
        case .number(let n):
            arena.append(Tag.number.rawValue)
            var bits = n.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { arena.append(contentsOf: $0) }
        case .bool(let b):
            arena.append(b ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
        case .string(var s):
            arena.append(Tag.string.rawValue)
            s.withUTF8 { bytes in
                let kept = Self.utf8Prefix(bytes, max: 255)
                arena.append(UInt8(kept))
                arena.append(contentsOf: bytes[0..<kept])
            }
        }
    }

    /// Writes over a value of the same encoded size (`valueSize`) just after its type byte.
    private static func writeValue(_ value: MetricValue, at position: Int, in arena: UnsafeMutableBufferPointer<UInt8>)
    {
        switch value {
        case .number(let n):
            arena[position - 1] = Tag.number.rawValue
            UnsafeMutableRawBufferPointer(arena).storeBytes(
                of: n.bitPattern.littleEndian, toByteOffset: position, as: UInt64.self)
        case .bool(let b):
            arena[position - 1] = b ? Tag.trueValue.rawValue : Tag.falseValue.rawValue
        case .string(var s):
            arena[position - 1] = Tag.string.rawValue
            s.withUTF8 { bytes in
                let kept = Self.utf8Prefix(bytes, max: 255)
                arena[position] = UInt8(kept)
                for i in 0..<kept { arena[position + 1 + i] = bytes[i] }
            }
        }
    }

    /// Rebuilds the arena with only the live spans.
    private mutating func compact() {
        var packed: [UInt8] = []
        packed.reserveCapacity(arena.count - stale)
        for i in spans.indices where spans[i].length > 0 {
            let start = Int(spans[i].offset)
            let length = Int(spans[i].length)
            spans[i].offset = UInt32(packed.count)
            spans[i].capacity = UInt16(length)
            packed.append(contentsOf: arena[start..<(start + length)])
        }
        arena = packed
        stale = 0
    }

    // MARK: reading

    /// The device's metrics, in the order they were last written (a later name wins on repeats).
    func metrics(_ slot: DeviceSlot) -> [Metric] {
        guard Int(slot) < spans.count else { return [] }
        var out: [Metric] = []
        forEachEntry(of: spans[Int(slot)]) { entry in
            let name = names[entry.name]
            guard let value = value(of: entry) else { return }
            if let existing = out.firstIndex(where: { $0.name == name }) {
                out[existing].value = value
            } else {
                out.append(Metric(name: name, value: value))
            }
        }
        return out
    }

    private func value(of entry: Entry) -> MetricValue? {
        switch Tag(rawValue: arena[entry.valueStart - 1]) {
        case .number:
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(arena[entry.valueStart + i]) << (8 * UInt64(i)) }
            return .number(Double(bitPattern: bits))
        case .falseValue: return .bool(false)
        case .trueValue: return .bool(true)
        case .string:
            let length = Int(arena[entry.valueStart])
            return .string(
                String(decoding: arena[(entry.valueStart + 1)..<(entry.valueStart + 1 + length)], as: UTF8.self))
        case nil: return nil
        }
    }

    // MARK: the encoding

    private struct Entry {
        var start: Int
        /// Index into `names`.
        var name: Int
        /// Just after the type byte.
        var valueStart: Int
        var valueSize: Int
        var next: Int
    }

    private func entry(at start: Int) -> Entry? {
        arena.withUnsafeBufferPointer { Self.entry(in: $0, at: start) }
    }

    private static func entry(in arena: UnsafeBufferPointer<UInt8>, at start: Int) -> Entry? {
        let nameEnd = start + 2
        guard nameEnd < arena.count, let tag = Tag(rawValue: arena[nameEnd]) else { return nil }
        let name = Int(arena[start]) | Int(arena[start + 1]) << 8
        let valueStart = nameEnd + 1
        let size: Int
        switch tag {
        case .number: size = 8
        case .falseValue, .trueValue: size = 0
        case .string:
            guard valueStart < arena.count else { return nil }
            size = 1 + Int(arena[valueStart])
        }
        return Entry(
            start: start, name: name, valueStart: valueStart, valueSize: size,
            next: valueStart + size)
    }

    private func forEachEntry(of span: Span, _ body: (Entry) -> Void) {
        var position = Int(span.offset)
        let end = position + Int(span.length)
        while position < end, let entry = entry(at: position) {
            body(entry)
            position = entry.next
        }
    }

    /// String equality: names up to 15 bytes are compared as two words, without their bytes.
    private func nameEquals(_ index: Int, _ name: String) -> Bool { names[index] == name }

    /// The index of `name`, added if new; nil once `maxNames` are taken.
    private mutating func intern(_ name: String) -> UInt16? {
        if let index = nameIndex[name] { return index }
        guard names.count < Self.maxNames else { return nil }
        let index = UInt16(names.count)
        names.append(name)
        nameIndex[name] = index
        return index
    }

    /// Encoded size of a metric; 0 for one that is not kept (a name longer than 255 bytes, or a
    /// new name once the table is full).
    private func encodedSize(_ metric: Metric) -> Int {
        guard metric.name.utf8.count <= 255, names.count < Self.maxNames || nameIndex[metric.name] != nil
        else { return 0 }
        return 3 + Self.valueSize(metric.value)
    }

    private static func valueSize(_ value: MetricValue) -> Int {
        switch value {
        case .number: 8
        case .bool: 0
        case .string(var s): 1 + s.withUTF8 { utf8Prefix($0, max: 255) }
        }
    }

    /// How many of `bytes` fit in `max` without cutting a UTF-8 sequence.
    private static func utf8Prefix(_ bytes: UnsafeBufferPointer<UInt8>, max: Int) -> Int {
        guard bytes.count > max else { return bytes.count }
        var n = max
        while n > 0 && bytes[n] & 0xC0 == 0x80 { n -= 1 }
        return n
    }
}
