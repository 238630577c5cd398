import Foundation

/// A real child process whose output goes to a file; stopped by PID when the test ends, whatever
/// happened.
final class ChildProcess {
    let process = Process()
    let logPath: String
    let name: String

    init(name: String, executable: String, arguments: [String], logPath: String, environment: [String: String] = [:]) throws {
        self.name = name
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)!
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { if process.isRunning { kill(process.processIdentifier, number) } }

    /// Waits for exit; returns the exit status, or nil if still running after `timeout`.
    @discardableResult
    func wait(timeout: Double) -> Int32? {
        guard waitUntil(timeout, interval: 0.05, { !process.isRunning }) else { return nil }
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

/// Runs a command to completion and returns its exit code and output.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

func runCommand(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    // stderr goes to a file and stdout is read to the end before waiting, so neither can block.
    let errPath = NSTemporaryDirectory() + "fleetwatch-cmd-\(UUID().uuidString).err"
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errData = FileManager.default.contents(atPath: errPath) ?? Data()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}
