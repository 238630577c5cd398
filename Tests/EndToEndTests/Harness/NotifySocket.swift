import Foundation

/// Plays systemd's side of sd_notify: a Unix datagram socket the daemon sends READY=1,
/// WATCHDOG=1 … to. A path in the test directory, or an abstract name (`@…`).
final class NotifySocket {
    let name: String
    private let fd: Int32

    init(name: String) throws {
        self.name = name
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        // Every stored property is set: a throw from here on runs deinit, which closes fd.
        guard bound == 0 else { throw HarnessError("bind \(name): \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw HarnessError("setsockopt SO_RCVTIMEO: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        close(fd)
        if !name.hasPrefix("@") { unlink(name) }
    }

    /// Every datagram received within `seconds`, each with its monotonic receive time.
    func receive(for seconds: Double) -> [(time: Double, message: String)] {
        var out: [(Double, String)] = []
        let end = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < end {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                out.append((ProcessInfo.processInfo.systemUptime, String(decoding: buffer[0..<n], as: UTF8.self)))
            }
        }
        return out
    }
}
