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

    func readLine(limit: Int) -> String? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if let newline = bytes.firstIndex(of: 0x0A) { return String(decoding: bytes[..<newline], as: UTF8.self) }
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
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
