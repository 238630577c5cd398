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

    /// One request line: the bytes before the first newline (or before the client's end of
    /// stream). nil when nothing came, when `limit` bytes came without a newline (a request cut
    /// short must not be carried out), or when the whole line took longer than `seconds`: a
    /// client that trickles a byte now and then cannot hold a reader for longer than that.
    func readLine(limit: Int, within seconds: Double) -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { return nil }
            let n: Int
            do {
                let parts = left.components
                try socket.setTimeout(.receive, seconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
                n = try buffer.withUnsafeMutableBytes { (raw) throws(SystemCallError) in try socket.read(into: raw) }
            } catch {
                return nil  // timed out, or the client is gone
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if let newline = bytes.firstIndex(of: 0x0A), newline < limit {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
        return bytes.isEmpty || bytes.count >= limit ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the reply line and closes; a second reply is ignored. Fails when the client is gone
    /// or stopped reading (the send timeout): it will report "no answer" and can ask again.
    func reply(_ reply: ControlReply) throws(SystemCallError) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        defer { socket.release() }  // after the reply: nothing left to deliver
        try socket.writeAll(Array(reply.line.utf8))
    }
}
