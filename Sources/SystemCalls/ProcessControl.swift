import Glibc

/// Signals and process ids.
public enum ProcessControl {
    public static var currentID: Int32 { getpid() }

    /// Whether a process with this id exists (signal 0 checks without sending; EPERM means it
    /// exists but belongs to someone else).
    public static func exists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Sets `number`'s disposition to ignore, so that it is received only through a dispatch
    /// source (or not at all, for SIGPIPE).
    public static func ignore(signal number: Int32) throws(SystemCallError) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_IGN
        try check(sigemptyset(&action.sa_mask), "sigemptyset")
        try check(sigaction(number, &action, nil), "sigaction \(number)")
    }

    /// Sends `number` to process `pid` (a notification command past its timeout).
    public static func send(signal number: Int32, to pid: Int32) throws(SystemCallError) {
        try check(kill(pid, number), "kill \(pid) \(number)")
    }
}
