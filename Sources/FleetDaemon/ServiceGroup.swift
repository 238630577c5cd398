import Foundation
import Logging

/// The daemon's services in the order they were started: each starts once those before it run,
/// and they stop in reverse. Background services get a thread each for `run()`; the one
/// foreground service (the engine loop) runs on the caller's thread in `run()`, and when it
/// returns, everything stops.
///
/// Threads, not Swift concurrency: the engine loop is the ingest path, which must not pay a task
/// hop per batch, and the other services block in `accept`, `mosquitto_loop` or a timed wait.
final class ServiceGroup {
    private struct Started {
        let service: any Service
        /// Signalled when a background service's `run()` has returned; nil for the foreground one.
        let finished: DispatchSemaphore?
    }

    private let logger: Logger
    private var started: [Started] = []
    private var foreground: (any Service)?

    init(logger: Logger) { self.logger = logger }

    /// Starts `service` after every service started so far and runs it on a thread of its own.
    func start(_ service: some Service & Sendable) throws {
        try service.start()
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            service.run()
            finished.signal()
        }
        thread.name = service.name
        thread.start()
        started.append(Started(service: service, finished: finished))
    }

    /// Starts the service whose `run()` is the daemon's main loop, on the thread that calls `run()`.
    func startInForeground(_ service: some Service) throws {
        precondition(foreground == nil, "one foreground service only")
        try service.start()
        started.append(Started(service: service, finished: nil))
        foreground = service
    }

    /// Runs the foreground service until it returns (SIGTERM/SIGINT), then stops every service.
    func run() {
        foreground?.run()
        stop()
    }

    /// Stops every started service, the last started first, each after the one started after
    /// it has finished. Also undoes a start that failed halfway.
    func stop() {
        while let last = started.popLast() {
            last.service.stop()
            last.finished?.wait()
            logger.debug("service stopped", metadata: ["service": "\(last.service.name)"])
        }
        foreground = nil
    }
}
