import Foundation
import Synchronization
import SystemCalls

/// A small real HTTP receiver for notification tests, on a free loopback port: it records every
/// request (method, path, headers, body) and answers as told: a status, a hang (no answer until
/// the test ends or `hang` seconds pass), or nothing at all while `refuse()`d (the port closed, so
/// connections are refused). One thread accepts; each connection gets a thread of its own, so a
/// hanging answer does not hold the next request.
final class TestReceiver: Sendable {
    struct Request: Sendable {
        let method: String
        let path: String
        /// Lower-cased names.
        let headers: [String: String]
        let body: String

        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
    }

    enum Answer: Sendable {
        case status(Int, String = "")
        /// Never answers; the connection stays open for this long.
        case hang(Double)
    }

    let port: Int
    private let state = Mutex<(requests: [Request], queued: [Answer], standing: Answer)>(([], [], .status(200)))
    private let listener = Mutex<FileDescriptor?>(nil)
    private let stopped = Atomic<Bool>(false)

    init(port: Int = freePort()) throws {
        self.port = port
        try listen()
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [Request] { state.withLock { $0.requests } }

    /// The answer to every request from now on (after the queued ones).
    func answer(_ answer: Answer) { state.withLock { $0.standing = answer } }

    /// Answers for the next requests, in order, before the standing one.
    func queue(_ answers: [Answer]) { state.withLock { $0.queued += answers } }

    /// Closes the port: connections are refused until `accept()`.
    func refuse() {
        guard
            let socket = listener.withLock({ current in
                defer { current = nil }
                return current
            })
        else { return }
        try? socket.shutdown()
    }

    /// Opens the port again after `refuse()`.
    func accept() throws { try listen() }

    func stop() {
        stopped.store(true, ordering: .releasing)
        refuse()
    }

    private func listen() throws {
        guard let address = IPv4SocketAddress(host: "127.0.0.1", port: port) else {
            throw HarnessError("bad port \(port)")
        }
        let socket = try FileDescriptor.listen(at: address, backlog: 16)
        listener.withLock { $0 = socket }
        let thread = Thread { [self] in
            defer { socket.release() }
            while let client = try? socket.accept() {
                let connection = Thread { [self] in serve(client) }
                connection.start()
            }
        }
        thread.start()
    }

    private func serve(_ client: FileDescriptor) {
        defer { client.release() }
        try? client.setTimeout(.receive, seconds: 5)
        guard let request = read(client) else { return }
        let answer = state.withLock { s -> Answer in
            s.requests.append(request)
            return s.queued.isEmpty ? s.standing : s.queued.removeFirst()
        }
        switch answer {
        case .status(let code, let body):
            let bytes = Array(body.utf8)
            let head =
                "HTTP/1.1 \(code) Test\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n"
                + "Connection: close\r\n\r\n"
            try? client.writeAll(Array(head.utf8) + bytes)
        case .hang(let seconds):
            _ = waitUntil(seconds, interval: 0.05) { stopped.load(ordering: .acquiring) }
        }
    }

    /// One request: headers up to the blank line, then Content-Length bytes of body.
    private func read(_ client: FileDescriptor) -> Request? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int?
        var expected = Int.max
        while bytes.count < expected {
            let n = try? buffer.withUnsafeMutableBytes { (raw) throws(SystemCallError) in try client.read(into: raw) }
            guard let n, n > 0 else { return nil }
            bytes += buffer[0..<n]
            if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: bytes) {
                headerEnd = end + 4
                let head = String(decoding: bytes[0..<end], as: UTF8.self)
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end + 4 + length
            }
        }
        guard let headerEnd else { return nil }
        let lines = String(decoding: bytes[0..<(headerEnd - 4)], as: UTF8.self).split(separator: "\r\n")
        let start = lines.first?.split(separator: " ") ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Request(
            method: start.first.map(String.init) ?? "", path: start.count > 1 ? String(start[1]) : "",
            headers: headers, body: String(decoding: bytes[headerEnd...], as: UTF8.self))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
