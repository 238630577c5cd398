/// Reads one request head as its bytes arrive, within fixed limits: a value that is fed bytes and
/// says whether it needs more, has a request, or must refuse it (with the status to answer).
///
/// Only the head is read: every endpoint is a GET without a body, and a body that comes anyway
/// is drained unread after the answer (`HTTPConnection`).
struct HTTPRequestReader {
    enum Outcome: Equatable {
        case needMore
        case complete(HTTPRequestHead)
        case refused(HTTPStatus, String)
    }

    /// The whole head (request line and fields); nginx's default buffers are 1 KiB + 4×8 KiB.
    static let maxHeadBytes = 16 * 1024
    static let maxRequestLineBytes = 4 * 1024
    static let maxFields = 64

    private(set) var buffer: [UInt8] = []
    private var outcome = Outcome.needMore

    init() { buffer.reserveCapacity(1024) }

    /// Adds bytes read from the connection. Once complete or refused, further bytes change nothing.
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        guard outcome == .needMore else { return outcome }
        let searchFrom = max(0, buffer.count - 3)
        buffer.append(contentsOf: bytes)
        if let end = Self.endOfHead(in: buffer, from: searchFrom) {
            outcome = Self.parse(buffer[..<end])
        } else if (buffer.firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count) > Self.maxRequestLineBytes {
            outcome = .refused(.uriTooLong, "request line longer than \(Self.maxRequestLineBytes) bytes")
        } else if buffer.count > Self.maxHeadBytes {
            outcome = .refused(.headerFieldsTooLarge, "request head larger than \(Self.maxHeadBytes) bytes")
        }
        return outcome
    }

    mutating func append(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Where the head ends: after the blank line (CRLF CRLF, or bare LF LF, which RFC 9112 lets a
    /// server accept).
    private static func endOfHead(in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { return i + 2 }
                if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\r"), bytes[i + 2] == UInt8(ascii: "\n") {
                    return i + 3
                }
            }
            i += 1
        }
        return nil
    }

    private static func parse(_ head: ArraySlice<UInt8>) -> Outcome {
        guard head.count <= maxHeadBytes else {
            return .refused(.headerFieldsTooLarge, "request head larger than \(maxHeadBytes) bytes")
        }
        // Lines are split on LF bytes (a String would read CR LF as one character), a CR before
        // the LF dropped.
        var lines: [Substring] = []
        for raw in head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let bytes = raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw
            guard let line = String(validating: bytes, as: UTF8.self) else {
                return .refused(.badRequest, "request head is not UTF-8")
            }
            lines.append(Substring(line))
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first, requestLine.utf8.count <= maxRequestLineBytes else {
            return .refused(.uriTooLong, "request line longer than \(maxRequestLineBytes) bytes")
        }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenCharacter) else {
            return .refused(.badRequest, "malformed request line")
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return parts[2].hasPrefix("HTTP/")
                ? .refused(.versionNotSupported, "only HTTP/1.0 and HTTP/1.1 are served")
                : .refused(.badRequest, "malformed request line")
        }
        guard let (path, query) = HTTPRequestHead.splitTarget(parts[1]) else {
            return .refused(.badRequest, "the request target must be a path (/…) with valid % escapes")
        }
        let fieldLines = lines.dropFirst()
        guard fieldLines.count <= maxFields else {
            return .refused(.headerFieldsTooLarge, "more than \(maxFields) header fields")
        }
        var fields: [(name: String, value: String)] = []
        for line in fieldLines {
            // A line starting with white space continues the last field (obsolete folding):
            // refused, as RFC 9112 allows, rather than guessed at.
            guard let colon = line.firstIndex(of: ":"), line.first != " ", line.first != "\t" else {
                return .refused(.badRequest, "malformed header field")
            }
            let name = line[..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else {
                return .refused(.badRequest, "malformed header field name")
            }
            let value = line[line.index(after: colon)...].trimmingSpaces()
            fields.append((name.lowercased(), String(value)))
        }
        return .complete(
            HTTPRequestHead(
                method: String(parts[0]), path: path, query: query,
                version: String(parts[2]), fields: fields))
    }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(ascii)
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
