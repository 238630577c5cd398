import Foundation

/// Runs a command to completion and returns its exit code and output.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `executable` to completion, bound to the test process like every child (`Spawn`), and
/// kills it if it has not finished within `timeout` seconds (then throws, with what it printed).
func runCommand(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    timeout: Double = 60
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    // Both streams go to files, so the child can never block on a full pipe while we wait.
    let base = NSTemporaryDirectory() + "fleetwatch-cmd-\(UUID().uuidString)"
    let outPath = base + ".out"
    let errPath = base + ".err"
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    guard FileManager.default.createFile(atPath: outPath, contents: nil),
        FileManager.default.createFile(atPath: errPath, contents: nil),
        let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath)
    else { throw HarnessError("cannot create output files for \(executable)") }
    defer {
        try? out.close()
        try? err.close()
    }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let ended = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in ended.signal() }
    try Spawn.run(process)
    let finished = ended.wait(timeout: .now() + timeout) == .success
    if !finished {
        kill(process.processIdentifier, SIGKILL)
        _ = ended.wait(timeout: .now() + 5)
    }
    let stdout = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
    let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
    guard finished else {
        throw HarnessError(
            "\(executable) \(arguments) did not finish within \(timeout) s and was killed; "
                + "stdout: \(stdout) stderr: \(stderr)")
    }
    return CommandResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
}
