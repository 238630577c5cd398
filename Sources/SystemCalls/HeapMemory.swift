import CMalloc

/// The C allocator's heap. glibc keeps freed memory in its arenas for reuse and returns little of
/// it to the kernel by itself; after a burst (100,000 devices registering at once) that is tens of
/// MiB of resident memory the daemon will not need again.
public enum HeapMemory {
    /// Returns the free memory at the top of every arena, and whole free pages inside them, to the
    /// kernel (`malloc_trim(0)`). Takes a few milliseconds on a heap of a few hundred MiB.
    /// "Returns 1 if memory was actually released back to the system, or 0 if it was not possible"
    /// (malloc_trim(3)): neither is an error.
    @discardableResult
    public static func trim() -> Bool { malloc_trim(0) == 1 }
}
