import Foundation
import Logging
import Synchronization
import SystemCalls

/// The HTTP server on `metrics.listen`: one poll thread serves every connection, non-blocking,
/// within `HTTPLimits` (connections, time, request size, queued work, buffered output), and a
/// few low-priority worker threads make the answers that read the database. `/healthz` and
/// `/metrics` are answered on the poll thread from memory, so no number of idle, slow or busy
/// clients delays a probe by more than a poll turn.
///
/// Hand-written over `SystemCalls` rather than Hummingbird: see docs/architecture.md ("The HTTP
/// server") for the measured build cost and what the framework would and would not bound.
final class HTTPServer<Application: HTTPApplication>: Service, Sendable {
    var name: String { "http" }
    let address: IPv4SocketAddress
    private let application: Application
    private let limits: HTTPLimits
    private let logger: Logger
    /// Made in start(), used by run() on its thread, released when run() returns.
    private let resources = Mutex<(listener: FileDescriptor, wake: EventSignal)?>(nil)
    private let stopping = Atomic<Bool>(false)
    /// Signalled by stop(); the wake-up of the poll loop.
    private let stopSignal = Mutex<EventSignal?>(nil)

    init(address: IPv4SocketAddress, application: Application, limits: HTTPLimits = HTTPLimits(), logger: Logger) {
        self.address = address
        self.application = application
        self.limits = limits
        self.logger = logger
    }

    func start() throws {
        do throws(SystemCallError) {
            let listener = try FileDescriptor.listen(at: address, backlog: limits.backlog)
            do throws(SystemCallError) {
                try listener.setNonBlocking()
                let wake = try EventSignal()
                resources.withLock { $0 = (listener, wake) }
                stopSignal.withLock { $0 = wake }
            } catch {
                listener.release()
                throw error
            }
        } catch {
            throw DaemonError("metrics.listen \(address.text): \(error.reason)")
        }
    }

    /// The port listened on, once started (the one the kernel chose when asked for port 0).
    var port: Int? {
        resources.withLock { r in r.flatMap { try? $0.listener.localIPv4Port() } }
    }

    func run() {
        guard let (listener, wake) = resources.withLock({ $0 }) else { return }
        let queue = HTTPWorkQueue<Application.Work>(limit: limits.queuedWork, wake: wake)
        let workersDone = startWorkers(queue)
        var loop = PollLoop(
            listener: listener, wake: wake, queue: queue, application: application, limits: limits,
            logger: logger)
        while !stopping.load(ordering: .acquiring) {
            loop.turn()
        }
        loop.closeAll()
        queue.close(workers: limits.workers)
        for _ in 0..<limits.workers { workersDone.wait() }
        listener.release()  // a listener: nothing buffered to lose
        stopSignal.withLock { $0 = nil }
        wake.close()
    }

    /// Makes `run()` return within a poll turn; it closes every connection and waits for the workers.
    func stop() {
        stopping.store(true, ordering: .releasing)
        stopSignal.withLock { $0?.signal() }
    }

    private func startWorkers(_ queue: HTTPWorkQueue<Application.Work>) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        for index in 0..<limits.workers {
            let thread = Thread { [application, logger] in
                do {
                    try ThreadPriority.lowerCurrentThread(by: 10)
                } catch {
                    logger.warning("http worker runs at normal priority", metadata: ["error": "\(error)"])
                }
                var worker = application.makeWorker()
                while let item = queue.take() {
                    queue.finish(worker.perform(item.work), for: item.connection)
                    worker.afterAnswer()
                }
                done.signal()
            }
            thread.name = "http-worker-\(index)"
            thread.start()
        }
        return done
    }
}
