import Foundation

/// A real child process whose output goes to a file; stopped by PID when the test ends, whatever
/// happened, and killed by the kernel if the test process dies first (`Spawn`).
final class ChildProcess {
    let process = Process()
    let logPath: String
    let name: String

    init(
        name: String, executable: String, arguments: [String], logPath: String, environment: [String: String] = [:],
        standardInput: Pipe? = nil
    ) throws {
        self.name = name
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw HarnessError("cannot write \(logPath)") }
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = standardInput ?? FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        try Spawn.run(process)
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { if process.isRunning { kill(process.processIdentifier, number) } }

    /// Waits for exit; returns the exit status, or nil if still running after `timeout`.
    @discardableResult
    func wait(timeout: Double) -> Int32? {
        guard waitUntil(timeout, interval: 0.02, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it does not go within 5 s.
    func stop() {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if wait(timeout: 5) == nil {
            signal(SIGKILL)
            wait(timeout: 5)
        }
    }
}
