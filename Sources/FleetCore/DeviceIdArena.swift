/// Every device's id, its UTF-8 bytes back to back in one buffer; a device keeps where its id is
/// (a `Span`, 8 bytes) instead of a `String`.
///
/// Why: an id longer than 15 bytes is a 64-byte heap block per `String`, allocated while a
/// registration burst allocates and frees everything else, so 100,000 of them pinned pages all
/// over the heap: measured at 100,000 devices heartbeating, glibc's main arena held 22 MB for 11 MB
/// in use, and `malloc_trim` could give none of it back (docs/benchmarks.md, round 2, third pass).
/// Here the ids are one growing buffer, and a lookup compares bytes without a pointer chase.
///
/// A forgotten device's bytes stay until `compacted` is worth it (most bytes unused); the caller
/// then moves every kept span (`DeviceRegistry.forget`).
struct DeviceIdArena {
    struct Span: Equatable {
        fileprivate var offset: UInt32
        fileprivate var length: UInt32
        static let empty = Span(offset: 0, length: 0)
    }

    private var bytes: [UInt8] = []
    /// Bytes of removed ids, not yet reclaimed.
    private(set) var unusedBytes = 0

    /// Ids are at most 64 bytes (`TopicParser.isValidIdentifier`) and `detection.max_devices` at
    /// most 10,000,000, so the buffer stays under 1.3 GB even with as many removed ids as kept
    /// ones (`worthCompacting`): a 32-bit offset does not overflow. Were it ever to, the span
    /// would be empty (matching nothing) rather than wrap onto another device's id.
    mutating func add(_ id: String) -> Span {
        let offset = bytes.count
        bytes.append(contentsOf: id.utf8)
        guard let start = UInt32(exactly: offset), let length = UInt32(exactly: bytes.count - offset) else {
            bytes.removeLast(bytes.count - offset)
            return .empty
        }
        return Span(offset: start, length: length)
    }

    mutating func remove(_ span: Span) { unusedBytes += Int(span.length) }

    /// More than half the buffer (and over 64 KiB) belongs to removed ids.
    var worthCompacting: Bool { unusedBytes > 65_536 && unusedBytes * 2 > bytes.count }

    func string(_ span: Span) -> String {
        bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[range(span)]), as: UTF8.self)
        }
    }

    func equals(_ span: Span, _ id: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(span.length) == id.count else { return false }
        return bytes.withUnsafeBufferPointer { String.bytesEqual(UnsafeBufferPointer(rebasing: $0[range(span)]), id) }
    }

    func hash(_ span: Span) -> UInt32 {
        bytes.withUnsafeBufferPointer { DeviceIndex.hash(UnsafeBufferPointer(rebasing: $0[range(span)])) }
    }

    /// A copy holding only the ids of `spans` (rewritten to their new places).
    func compacted(_ spans: inout [Span]) -> DeviceIdArena {
        var fresh = DeviceIdArena()
        fresh.bytes.reserveCapacity(bytes.count - unusedBytes)
        for k in spans.indices where spans[k] != .empty {
            let offset = fresh.bytes.count
            fresh.bytes.append(contentsOf: bytes[range(spans[k])])
            spans[k] = Span(offset: UInt32(offset), length: spans[k].length)
        }
        return fresh
    }

    private func range(_ span: Span) -> Range<Int> { Int(span.offset)..<Int(span.offset) + Int(span.length) }
}
