import FleetConfig
import Foundation
import Synchronization
import SystemCalls

/// Runs a `command` channel's program for one notification: argv as configured, never through a
/// shell; the JSON body on its standard input; a few FLEETWATCH_* variables for scripts that do
/// not parse JSON. Exit 0 within `timeout_s` is delivered; anything else is a failure (retried).
/// A program past its timeout gets SIGTERM, then SIGKILL a second later.
final class CommandRunner: Sendable {
    /// The running child, so that stop can end it.
    private let running = Mutex<Int32?>(nil)

    func run(
        _ argv: [String], body: [UInt8], environment extra: [String: String], timeout: Double
    )
        -> Result<Void, NotifyFailure>
    {
        guard let program = argv.first, let path = ConfigurationLoader.executablePath(program) else {
            return .failure(NotifyFailure("\(argv.first ?? "") is not an executable file (nor on PATH)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(argv.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let stderrHead = Mutex<[UInt8]>([])
        let stderrClosed = DispatchSemaphore(value: 0)
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return .failure(NotifyFailure("\(program) could not be started: \(error.localizedDescription)"))
        }
        // Its stderr: the first KiB kept for the error message, the rest drained so the program
        // never blocks on a full pipe; done when every writer (the program, its children) closed it.
        let reader = Thread {
            let handle = errors.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                stderrHead.withLock { if $0.count < 1024 { $0 += chunk.prefix(1024 - $0.count) } }
            }
            stderrClosed.signal()
        }
        reader.start()
        running.withLock { $0 = process.processIdentifier }
        defer { running.withLock { $0 = nil } }
        // A program that exits without reading gives EPIPE here (SIGPIPE is ignored): its exit
        // status decides.
        try? input.fileHandleForWriting.write(contentsOf: Data(body))
        try? input.fileHandleForWriting.close()
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 1) == .timedOut {
                try? ProcessControl.send(signal: SIGKILL, to: process.processIdentifier)
                exited.wait()
            }
        }
        // A program that left a child holding its stderr is not waited for beyond a moment.
        _ = stderrClosed.wait(timeout: .now() + 1)
        if timedOut {
            return .failure(NotifyFailure("\(program) did not finish within \(HTTPPoster.seconds(timeout))"))
        }
        guard process.terminationReason == .exit else {
            return .failure(NotifyFailure("\(program) was killed by signal \(process.terminationStatus)"))
        }
        guard process.terminationStatus == 0 else {
            let said =
                String(decoding: stderrHead.withLock { $0 }, as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map { ": \($0)" } ?? ""
            return .failure(NotifyFailure("\(program) exited with status \(process.terminationStatus)\(said)"))
        }
        return .success(())
    }

    /// Ends the program in flight (the daemon is stopping); its notification is sent again later.
    func cancel() {
        guard let pid = running.withLock({ $0 }) else { return }
        try? ProcessControl.send(signal: SIGTERM, to: pid)
    }
}
