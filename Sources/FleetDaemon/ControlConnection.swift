import FleetCore
import Foundation
import Glibc

/// One accepted control connection: read a request line, write one reply line, close.
final class ControlConnection: @unchecked Sendable {
    // @unchecked: used by one thread at a time (a control reader reads, then hands it to the
    // engine loop, which replies and closes).

    enum Reply {
        case success(String)
        case failure(String)
    }

    private let fd: Int32
    private var closed = false

    init(fd: Int32) { self.fd = fd }

    deinit { if !closed { close(fd) } }

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
            let left = clock.now.duration(to: deadline).components
            guard left.seconds > 0 || left.attoseconds > 0 else { return nil }
            var timeout = timeval(tv_sec: Int(left.seconds), tv_usec: min(999_999, Int(left.attoseconds / 1_000_000_000_000) + 1))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let n = read(fd, &buffer, buffer.count)
            if n < 0 { return nil }  // timed out or broken
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if let newline = bytes.firstIndex(of: 0x0A), newline < limit {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
        return bytes.isEmpty || bytes.count >= limit ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// `{"ok":true,"message":…}` or `{"ok":false,"error":…}`, then close.
    func reply(_ reply: Reply) {
        guard !closed else { return }
        let line: String
        switch reply {
        case .success(let message): line = JSONText.object([("ok", .bool(true)), ("message", .string(message))])
        case .failure(let error): line = JSONText.object([("ok", .bool(false)), ("error", .string(error))])
        }
        let data = Array((line + "\n").utf8)
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        closed = true
    }

    /// Whether a daemon answers on `path` (a live socket, as opposed to one a crash left behind).
    static func canConnect(_ path: String) -> Bool {
        let fd = UnixSocketPath.connect(path)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }
}
