import FleetControl
import Synchronization
import SystemCalls

/// One accepted control connection: read a request line, write one reply line, close. A control
/// reader reads it, then hands it to the engine loop, which replies.
final class ControlConnection: Sendable {
    private let socket: FileDescriptor
    private let answered = Atomic<Bool>(false)

    init(socket: FileDescriptor) { self.socket = socket }

    deinit { if !answered.load(ordering: .acquiring) { socket.release() } }

    enum Request: Equatable {
        case line(String)
        /// `limit` bytes came without a newline: the rest of the line was read and dropped (so
        /// the client, still writing, is not cut off before it reads the refusal).
        case tooLong
        /// Nothing came, or the line was not finished within the time allowed.
        case incomplete
    }

    /// One request line: the bytes before the first newline (or before the client's end of
    /// stream). A request cut short must not be carried out, so a line of `limit` bytes or more
    /// is `.tooLong`, read to its end (within the same time) and dropped; the whole line must come
    /// within `seconds`: a client that trickles a byte now and then cannot hold a reader for
    /// longer than that.
    func readRequest(limit: Int, within seconds: Double) -> Request {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        var bytes: [UInt8] = []
        var tooLong = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { return tooLong ? .tooLong : .incomplete }
            let n: Int
            do {
                let parts = left.components
                try socket.setTimeout(.receive, seconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
                n = try buffer.withUnsafeMutableBytes { (raw) throws(SystemCallError) in try socket.read(into: raw) }
            } catch {
                return tooLong ? .tooLong : .incomplete  // timed out, or the client is gone
            }
            if n == 0 { break }
            let chunk = buffer[0..<n]
            if tooLong {
                if chunk.contains(0x0A) { return .tooLong }
                continue
            }
            bytes.append(contentsOf: chunk)
            if let newline = bytes.firstIndex(of: 0x0A), newline < limit {
                return .line(String(decoding: bytes[..<newline], as: UTF8.self))
            }
            if bytes.count >= limit {
                tooLong = true
                if bytes.contains(0x0A) { return .tooLong }
                bytes = []
            }
        }
        if tooLong { return .tooLong }
        return bytes.isEmpty ? .incomplete : .line(String(decoding: bytes, as: UTF8.self))
    }

    /// Writes the reply line and closes; a second reply is ignored. Fails when the client is gone
    /// or stopped reading (the send timeout): it will report "no answer" and can ask again.
    func reply(_ reply: ControlReply) throws(SystemCallError) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        defer { socket.release() }  // after the reply: nothing left to deliver
        try socket.writeAll(Array(reply.line.utf8))
    }
}
