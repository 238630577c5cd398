import FleetConfig
import Foundation
import Logging
import Synchronization
import SystemCalls

/// A deliberately small HTTP/1.0 server for `/metrics` and `/healthz` on `metrics.listen`: one
/// thread, one request per connection, no keep-alive. Prometheus scrapes are rare and tiny; an
/// HTTP framework would cost more build time than this whole file.
final class MetricsServer: Service, Sendable {
    var name: String { "metrics-http" }
    let address: ListenAddress
    private let board: HealthBoard
    private let notifyBoard: NotifyBoard
    private let logger: Logger
    /// Bound in start(), before `run()` gets its thread; shut down by stop(), closed by `run()`.
    private let listener = Mutex<FileDescriptor?>(nil)

    init(address: ListenAddress, board: HealthBoard, notifyBoard: NotifyBoard, logger: Logger) {
        self.address = address
        self.board = board
        self.notifyBoard = notifyBoard
        self.logger = logger
    }

    func start() throws {
        guard let socketAddress = IPv4SocketAddress(host: address.host, port: address.port) else {
            throw DaemonError("metrics.listen: \(address.host) is not an IPv4 address")
        }
        do {
            let socket = try FileDescriptor.listen(at: socketAddress, backlog: 16)
            listener.withLock { $0 = socket }
        } catch {
            throw DaemonError("metrics.listen \(address.host):\(address.port): \(error.reason)")
        }
    }

    func run() {
        guard let socket = listener.withLock({ $0 }) else { return }
        defer { socket.release() }  // a listener: nothing buffered to lose
        while true {
            let client: FileDescriptor
            do {
                client = try socket.accept()
            } catch {
                if error.errno == ECONNABORTED { continue }
                return  // shut down by stop()
            }
            do {
                try client.setTimeout(.receive, seconds: 2)
                try client.setTimeout(.send, seconds: 2)
                try respond(client)
            } catch {
                logger.debug("metrics request not answered", metadata: ["error": "\(error)"])
            }
            client.release()  // after the response (or a failed one): nothing left to deliver
        }
    }

    /// Wakes the accept thread, which then closes the listener.
    func stop() {
        guard let socket = listener.withLock({ $0 }) else { return }
        do {
            try socket.shutdown()
        } catch {
            logger.error("metrics listener shutdown failed", metadata: ["error": "\(error)"])
        }
    }

    private func respond(_ client: FileDescriptor) throws {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let n = try buffer.withUnsafeMutableBytes { (raw) throws(SystemCallError) in try client.read(into: raw) }
        guard n > 0 else { return }
        let requestLine = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        let path = parts.count >= 2 ? String(parts[1]) : ""
        let snapshot = board.snapshot
        let (status, body, type): (String, String, String)
        switch (parts.first.map(String.init), path) {
        case ("GET", "/metrics"):
            (status, body, type) = ("200 OK", snapshot.prometheusText() + notifyBoard.prometheusText(),
                                    "text/plain; version=0.0.4")
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
        try client.writeAll(Array(head.utf8) + payload)
    }
}
