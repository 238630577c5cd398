import Foundation

/// A plain blocking TCP client for the HTTP server tests: connect, send bytes, read until the
/// server closes (or a timeout).
struct HTTPTestClient {
    let fd: Int32

    init?(port: Int, receiveTimeout: Double = 5) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Foundation.close(fd)
            return nil
        }
        var timeout = timeval(
            tv_sec: Int(receiveTimeout),
            tv_usec: Int(receiveTimeout.truncatingRemainder(dividingBy: 1) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Foundation.send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Everything until the server closes; nil when the read timed out first or was reset.
    func readToEnd(limit: Int = 64 << 20) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while out.count < limit {
            let n = read(fd, &buffer, buffer.count)
            if n == 0 { return out }
            if n < 0 { return nil }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// Status code and body of a complete answer.
    func response() -> (status: Int, body: String)? {
        guard let bytes = readToEnd() else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let status = Int(text.split(separator: " ").dropFirst().first ?? "") else { return nil }
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
    }

    /// Whether the server closed the connection (a read returns the end) within `timeout`.
    func isClosedByServer() -> Bool { readToEnd(limit: 1 << 20) != nil }

    func close() { Foundation.close(fd) }
}
