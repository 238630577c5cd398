import CMalloc
import Glibc

/// The C allocator's heap. glibc keeps freed memory in its arenas for reuse and returns little of
/// it to the kernel by itself; after a burst (100,000 devices registering at once) that is tens of
/// MiB of resident memory the daemon will not need again.
public enum HeapMemory {
    /// Blocks of at least this size get a mapping of their own, unmapped when freed.
    public static let largeBlockBytes: Int32 = 256 << 10

    /// Makes every block of `largeBlockBytes` or more a mapping of its own, given back to the
    /// kernel the moment it is freed. glibc's default threshold starts at 128 KiB but rises to the
    /// size of any mapped block freed (up to 32 MiB), after which the large buffers a burst grows
    /// (the device array's old copies, the inbox's batches, a commit's pending list) come out of
    /// the heap and stay resident once freed: measured in docs/benchmarks.md (round 2, memory).
    /// Setting the threshold by hand turns that adjustment off (mallopt(3)).
    public static func mapLargeBlocksApart() throws(SystemCallError) {
        guard mallopt(M_MMAP_THRESHOLD, largeBlockBytes) == 1 else {
            throw SystemCallError("mallopt(M_MMAP_THRESHOLD, \(largeBlockBytes))", errno: EINVAL)
        }
    }

    /// Returns the free memory at the top of every arena, and whole free pages inside them, to the
    /// kernel (`malloc_trim(0)`). Takes a few milliseconds on a heap of a few hundred MiB.
    /// "Returns 1 if memory was actually released back to the system, or 0 if it was not possible"
    /// (malloc_trim(3)): neither is an error.
    @discardableResult
    public static func trim() -> Bool { malloc_trim(0) == 1 }
}
