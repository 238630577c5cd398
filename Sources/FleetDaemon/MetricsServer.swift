import Foundation
import Glibc

/// A deliberately small HTTP/1.0 server for `/metrics` and `/healthz` on `metrics.listen`: one
/// thread, one request per connection, no keep-alive. Prometheus scrapes are rare and tiny; an
/// HTTP framework would cost more build time than this whole file.
final class MetricsServer: @unchecked Sendable {
    // @unchecked: `listener` is set in start() before the thread exists and only read afterwards.

    let host: String
    let port: Int
    private let board: HealthBoard
    private var listener: Int32 = -1

    init(host: String, port: Int, board: HealthBoard) {
        self.host = host
        self.port = port
        self.board = board
    }

    func start() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let resolved = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else {
            close(fd)
            throw DaemonError("metrics.listen: \(host) is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw DaemonError("metrics.listen \(host):\(port): \(reason)")
        }
        listener = fd
        let thread = Thread { [self] in serve() }
        thread.name = "metrics-http"
        thread.start()
    }

    func stop() {
        guard listener >= 0 else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            respond(client)
            close(client)
        }
    }

    private func respond(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let n = read(client, &buffer, buffer.count)
        guard n > 0 else { return }
        let requestLine = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        let path = parts.count >= 2 ? String(parts[1]) : ""
        let snapshot = board.snapshot
        let (status, body, type): (String, String, String)
        switch (parts.first.map(String.init), path) {
        case ("GET", "/metrics"):
            (status, body, type) = ("200 OK", snapshot.prometheusText(), "text/plain; version=0.0.4")
        case ("GET", "/healthz"):
            if snapshot.healthy {
                (status, body, type) = ("200 OK", "ok\n", "text/plain")
            } else {
                let why = snapshot.databaseFailing ? "database cannot be written" : "broker unreachable"
                (status, body, type) = ("503 Service Unavailable", "unhealthy: \(why)\n", "text/plain")
            }
        default:
            (status, body, type) = ("404 Not Found", "try /metrics or /healthz\n", "text/plain")
        }
        let payload = Array(body.utf8)
        let head = "HTTP/1.0 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + payload
        _ = response.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }
}
