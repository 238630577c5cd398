import Glibc

/// Scheduling niceness of the calling thread. Linux keeps the nice value per thread, and
/// `setpriority(PRIO_PROCESS, 0, …)` applies to the calling thread only (the kernel takes
/// `current`, the task that called), not to the whole process as POSIX would have it.
public enum ThreadPriority {
    /// Lowers the calling thread's priority by `nice` steps (1–19), so that work it does yields
    /// the CPU to the rest of the process: the status page's rendering to the ingest path.
    public static func lowerCurrentThread(by nice: Int32) throws(SystemCallError) {
        try check(setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice), "setpriority")
    }
}
