import Foundation

/// Plain HTTP/1.0 GETs against the daemon's metrics listener, and the Prometheus text parsed.
enum HTTPProbe {
    /// Status and body of `GET path`; status 0 when nothing answers.
    static func get(_ path: String, port: Int) -> (status: Int, body: String) {
        let fd = connectLoopback(port: port)
        guard fd >= 0 else { return (0, "") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("GET \(path) HTTP/1.0\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard sent == request.count else { return (0, "") }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
    }

    /// `series{labels} value` lines of a Prometheus text body, keyed by `series{labels}` exactly
    /// as printed. Comment lines are skipped; a value that is not a number is an error.
    static func samples(_ body: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw HarnessError("not a Prometheus sample: \(line)")
            }
            out[String(line[..<space])] = value
        }
        return out
    }

    /// The samples of `GET /metrics`, or an error when the endpoint does not answer 200.
    static func metrics(port: Int) throws -> [String: Double] {
        let answer = get("/metrics", port: port)
        guard answer.status == 200 else { throw HarnessError("GET /metrics answered \(answer.status)") }
        return try samples(answer.body)
    }
}
