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

    /// SCHED_BATCH for the calling thread: the same share of the CPU, but its wake-ups do not
    /// preempt the task running on a CPU. For the MQTT network thread, which wakes for what the
    /// broker writes: on a machine it shares with the broker, each wake-up interrupted the broker
    /// mid-delivery (4,154 broker context switches in 5 s of full-rate ingest, 710 with
    /// `mosquitto_sub`), and the broker is the limit there: the QoS 0 rate went from 0.924× of
    /// `mosquitto_sub`'s to 0.97–1.00× with it (docs/benchmarks.md, "Round 2, fourth pass").
    /// Threads the thread creates inherit the policy. A policy other than the default one (a
    /// unit's `CPUSchedulingPolicy=`) is left alone. (`SCHED_BATCH` is 3 in Linux's ABI; Glibc's
    /// Swift module does not export the constant.)
    public static func batchCurrentThread() throws(SystemCallError) {
        let current = try check(sched_getscheduler(0), "sched_getscheduler")
        guard current == SCHED_OTHER else { return }
        var parameters = sched_param(sched_priority: 0)
        try check(sched_setscheduler(0, 3, &parameters), "sched_setscheduler SCHED_BATCH")
    }
}
