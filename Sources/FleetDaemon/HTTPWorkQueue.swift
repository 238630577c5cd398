import Foundation
import Synchronization
import SystemCalls

/// Work handed from the HTTP server's poll thread to its worker threads, and the answers handed
/// back. Bounded: `offer` refuses work beyond `limit` (the server then answers 503), so a flood
/// of page requests queues neither memory nor latency without end.
final class HTTPWorkQueue<Work: Sendable>: Sendable {
    private struct State {
        var pending: [(connection: UInt64, work: Work)] = []
        var head = 0
        var closed = false
        var done: [(connection: UInt64, response: HTTPResponse)] = []
    }

    private let state = Mutex(State())
    /// One signal per pending item (and one per worker at close).
    private let available = DispatchSemaphore(value: 0)
    private let limit: Int
    /// Wakes the poll thread when an answer is ready.
    let wake: EventSignal

    init(limit: Int, wake: EventSignal) {
        self.limit = limit
        self.wake = wake
    }

    /// false when `limit` items already wait.
    func offer(_ work: Work, for connection: UInt64) -> Bool {
        let accepted = state.withLock { s -> Bool in
            guard !s.closed, s.pending.count - s.head < limit else { return false }
            s.pending.append((connection, work))
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// The next item, waiting for one; nil once closed.
    func take() -> (connection: UInt64, work: Work)? {
        available.wait()
        return state.withLock { s in
            guard !s.closed, s.head < s.pending.count else { return nil }
            let item = s.pending[s.head]
            s.head += 1
            if s.head == s.pending.count {
                s.pending.removeAll(keepingCapacity: true)
                s.head = 0
            }
            return item
        }
    }

    func finish(_ response: HTTPResponse, for connection: UInt64) {
        state.withLock { $0.done.append((connection, response)) }
        wake.signal()
    }

    /// The answers ready since the last call.
    func takeAnswers() -> [(connection: UInt64, response: HTTPResponse)] {
        state.withLock { s in
            defer { s.done.removeAll() }
            return s.done
        }
    }

    /// Wakes every waiting worker with nil; pending work is dropped (its connections are closed).
    func close(workers: Int) {
        state.withLock { $0.closed = true }
        for _ in 0..<workers { available.signal() }
    }
}
