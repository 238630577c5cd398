import Foundation

/// One HTTP request with any method and header fields, against the daemon's listener: what the
/// status page and read API tests send (HTTPProbe only GETs). The answer's status, header
/// fields and body bytes, as they came.
struct HTTPAnswer {
    let status: Int
    /// Field names in lower case.
    let fields: [String: String]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    static func get(_ path: String, port: Int, fields: [String: String] = [:]) throws -> HTTPAnswer {
        try send("GET", path, port: port, fields: fields)
    }

    static func send(
        _ method: String, _ path: String, port: Int, fields: [String: String] = [:],
        body: String = ""
    ) throws -> HTTPAnswer {
        let fd = connectLoopback(port: port)
        guard fd >= 0 else { throw HarnessError("nothing listens on \(port)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in fields { head += "\(name): \(value)\r\n" }
        if !body.isEmpty { head += "Content-Length: \(body.utf8.count)\r\n" }
        let request = Array((head + "\r\n" + body).utf8)
        let sent = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard sent == request.count else { throw HarnessError("could not send \(method) \(path)") }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n == 0 { break }
            guard n > 0 else { throw HarnessError("\(method) \(path): read failed (errno \(errno))") }
            data.append(contentsOf: buffer[0..<n])
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard
            let end = (0...(max(0, data.count - 4))).first(where: {
                Array(data[$0..<min(data.count, $0 + 4)]) == separator
            })
        else { throw HarnessError("\(method) \(path): no complete answer (\(data.count) bytes)") }
        let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw HarnessError("\(method) \(path): no status line")
        }
        var fieldTable: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fieldTable[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return HTTPAnswer(status: status, fields: fieldTable, body: Array(data[(end + 4)...]))
    }
}
