import Foundation
import Synchronization

/// How the harness starts every process: bound to the test process's life, and tracked.
///
/// Each child is exec'd through `setpriv --pdeathsig KILL` (util-linux), which sets
/// PR_SET_PDEATHSIG before exec: when the test process dies, even by SIGKILL or a crash, the
/// kernel kills the child. Two rules keep that true:
/// - The signal follows the *thread* that spawned the child: XCTest runs tests on the main
///   thread, so spawn only from the test's own thread, never from a dispatch queue.
/// - A change of credentials clears it: mosquitto, started as root, would switch to its own
///   user, so `TestBroker` runs it with `user root` (see there).
/// `scripts/check-test-cleanup` kills the runner with SIGKILL in the middle of a test and proves
/// nothing of the run survives.
enum Spawn {
    static let setpriv = "/usr/bin/setpriv"

    /// The executable and arguments that run `executable` with the parent-death signal set;
    /// unchanged where setpriv does not exist (not Linux).
    static func wrapped(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        guard FileManager.default.isExecutableFile(atPath: setpriv) else { return (executable, arguments) }
        return (setpriv, ["--pdeathsig", "KILL", "--", executable] + arguments)
    }

    /// PIDs of children started and not yet reaped, so a test's teardown can kill what the test
    /// lost track of. A PID leaves `running` when Foundation has reaped the process; one reaped
    /// before `run` could record it waits in `reapedEarly`, so it is never added (and never
    /// killed later under a reused PID).
    private struct Tracked {
        var running: Set<Int32> = []
        var reapedEarly: Set<Int32> = []
    }

    private static let tracked = Mutex(Tracked())

    /// Starts `process` (its executable and arguments already set) through `wrapped` and tracks it.
    static func run(_ process: Process) throws {
        guard let url = process.executableURL else { throw HarnessError("no executable to start") }
        let (executable, arguments) = wrapped(url.path, process.arguments ?? [])
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw HarnessError("\(url.path) is not an executable file (build first: swift build --build-tests)")
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let previous = process.terminationHandler
        process.terminationHandler = { ended in
            let pid = ended.processIdentifier
            tracked.withLock { if $0.running.remove(pid) == nil { $0.reapedEarly.insert(pid) } }
            previous?(ended)
        }
        try process.run()
        let pid = process.processIdentifier
        tracked.withLock { if $0.reapedEarly.remove(pid) == nil { $0.running.insert(pid) } }
    }

    /// SIGKILL to every tracked child still alive; returns how many there were.
    @discardableResult
    static func killSurvivors() -> Int {
        let pids = tracked.withLock { state -> Set<Int32> in
            let all = state.running
            state.running.removeAll()
            return all
        }
        for pid in pids { kill(pid, SIGKILL) }
        return pids.count
    }
}
