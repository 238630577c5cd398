import Logging
import SystemCalls

extension HTTPServer {
    /// The poll thread's state: every connection and what it waits for. One `turn()` waits for
    /// the sockets (at most until the nearest deadline), then accepts, reads, hands out work,
    /// writes the answers that are ready and drops what timed out.
    struct PollLoop {
        let listener: FileDescriptor
        let wake: EventSignal
        let queue: HTTPWorkQueue<Application.Work>
        let application: Application
        let limits: HTTPLimits
        let logger: Logger
        private var connections: [UInt64: HTTPConnection] = [:]
        private var nextID: UInt64 = 1
        private var stats = HTTPServerStats()
        private var polls = PollSet()
        private var order: [UInt64] = []
        /// After EMFILE/ENFILE: the listener is left alone until then (it would stay readable).
        private var acceptPausedUntil = 0.0
        private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 8)

        init(
            listener: FileDescriptor, wake: EventSignal, queue: HTTPWorkQueue<Application.Work>,
            application: Application, limits: HTTPLimits, logger: Logger
        ) {
            self.listener = listener
            self.wake = wake
            self.queue = queue
            self.application = application
            self.limits = limits
            self.logger = logger
        }

        mutating func turn() {
            var now = SystemClock.monotonicSeconds()
            polls.removeAll()
            order.removeAll(keepingCapacity: true)
            polls.add(wake.descriptor, read: true, write: false)
            let watchListener = now >= acceptPausedUntil
            if watchListener { polls.add(listener, read: true, write: false) }
            var nearest = watchListener ? now + 1 : min(now + 1, acceptPausedUntil)
            for (id, connection) in connections {
                nearest = min(nearest, connection.deadline)
                guard connection.wantsRead || connection.wantsWrite else { continue }
                polls.add(connection.socket, read: connection.wantsRead, write: connection.wantsWrite)
                order.append(id)
            }
            let milliseconds = Int32(max(0, min(1000, ((nearest - now) * 1000).rounded(.up))))
            do {
                try polls.wait(milliseconds: milliseconds)
            } catch {
                logger.error("http poll failed", metadata: ["error": "\(error)"])
                return
            }
            now = SystemClock.monotonicSeconds()
            if polls.readiness(at: 0).readable { wake.drain() }
            deliverAnswers(at: now)
            let first = watchListener ? 2 : 1
            for (offset, id) in order.enumerated() {
                serve(id, polls.readiness(at: first + offset), at: now)
            }
            if watchListener && polls.readiness(at: 1).readable { acceptPending(at: now) }
            expire(at: now)
        }

        /// Closes every connection (at stop).
        mutating func closeAll() {
            for connection in connections.values { connection.close() }
            connections.removeAll()
            scratch.deallocate()
        }

        private mutating func serve(_ id: UInt64, _ ready: PollSet.Readiness, at now: Double) {
            guard var connection = connections[id] else { return }
            var event = HTTPConnection.Event.none
            if ready.readable && connection.wantsRead {
                event = connection.readAvailable(scratch: scratch)
            } else if ready.writable && connection.wantsWrite {
                event = connection.writeAvailable(at: now)
            } else if ready.failed {
                event = .closed
            }
            switch event {
            case .none:
                connections[id] = connection
            case .closed:
                connection.close()
                connections[id] = nil
            case .refused(let status, let reason):
                connection.respond(.text(status, reason + "\n"), at: now)
                connections[id] = connection
            case .request(let head):
                stats.requests += 1
                connections[id] = connection
                dispatch(head, for: id, at: now)
            }
            stats.openConnections = connections.count
        }

        private mutating func dispatch(_ head: HTTPRequestHead, for id: UInt64, at now: Double) {
            switch application.triage(head, server: stats) {
            case .answer(let response):
                respond(id, response, at: now)
            case .work(let work):
                let buffered = connections.values.reduce(0) { $0 + $1.bufferedOutput }
                if buffered > limits.maxBufferedOutputBytes || !queue.offer(work, for: id) {
                    stats.busy += 1
                    respond(
                        id,
                        .text(
                            .serviceUnavailable, "busy: try again in a moment\n",
                            fields: [.init(name: "Retry-After", value: "1")]), at: now)
                }
            }
        }

        private mutating func respond(_ id: UInt64, _ response: HTTPResponse, at now: Double) {
            guard var connection = connections[id] else { return }
            connection.respond(response, at: now)
            // Most answers fit the socket's buffer: write at once rather than a poll turn later.
            if case .closed = connection.writeAvailable(at: now) {
                connection.close()
                connections[id] = nil
            } else {
                connections[id] = connection
            }
        }

        private mutating func deliverAnswers(at now: Double) {
            for answer in queue.takeAnswers() {
                respond(answer.connection, answer.response, at: now)  // gone meanwhile: dropped
            }
        }

        private mutating func acceptPending(at now: Double) {
            // A bounded batch per turn, so a connect flood cannot keep the loop from its clients.
            for _ in 0..<64 {
                let socket: FileDescriptor
                do {
                    guard let accepted = try listener.acceptIfReady() else { return }
                    socket = accepted
                } catch {
                    if error.isOutOfResources {
                        // Out of descriptors: free one from the oldest idle client, and look
                        // again in a moment instead of spinning on a readable listener.
                        evictOldestReader()
                        acceptPausedUntil = now + 0.05
                    } else {
                        logger.error("http accept failed", metadata: ["error": "\(error)"])
                        acceptPausedUntil = now + 0.5
                    }
                    return
                }
                if connections.count >= limits.maxConnections && !evictOldestReader() {
                    socket.release()  // every slot is busy answering: this one waits its turn elsewhere
                    stats.busy += 1
                    continue
                }
                connections[nextID] = HTTPConnection(socket: socket, id: nextID, at: now, limits: limits)
                nextID += 1
            }
            stats.openConnections = connections.count
        }

        /// Drops the connection that has waited longest without finishing its request (ids grow
        /// in accept order; a batch accepted in one turn shares its time).
        @discardableResult
        private mutating func evictOldestReader() -> Bool {
            guard let oldest = connections.values.filter(\.isReading).min(by: { $0.id < $1.id }) else { return false }
            oldest.close()
            connections[oldest.id] = nil
            stats.evicted += 1
            return true
        }

        private mutating func expire(at now: Double) {
            for (id, var connection) in connections where connection.deadline <= now {
                switch connection.phase {
                case .reading where connection.hasPartialRequest:
                    stats.timedOut += 1
                    connection.respond(.text(.requestTimeout, "request not received in time\n"), at: now)
                    if case .closed = connection.writeAvailable(at: now) {
                        connection.close()
                        connections[id] = nil
                    } else {
                        connections[id] = connection
                    }
                case .reading, .writing:
                    stats.timedOut += 1
                    connection.close()
                    connections[id] = nil
                case .lingering:
                    connection.close()
                    connections[id] = nil
                case .waiting:
                    break  // the worker answers; the write deadline starts then
                }
            }
            stats.openConnections = connections.count
        }
    }
}
