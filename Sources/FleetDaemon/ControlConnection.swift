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

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    static func canConnect(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = address(path)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }
}
