/// The statuses the server answers with.
enum HTTPStatus: Int, Sendable, Equatable {
    case ok = 200
    case badRequest = 400
    case unauthorized = 401
    case notFound = 404
    case methodNotAllowed = 405
    case requestTimeout = 408
    case uriTooLong = 414
    case headerFieldsTooLarge = 431
    case serviceUnavailable = 503
    case versionNotSupported = 505

    var reason: String {
        switch self {
        case .ok: "OK"
        case .badRequest: "Bad Request"
        case .unauthorized: "Unauthorized"
        case .notFound: "Not Found"
        case .methodNotAllowed: "Method Not Allowed"
        case .requestTimeout: "Request Timeout"
        case .uriTooLong: "URI Too Long"
        case .headerFieldsTooLarge: "Request Header Fields Too Large"
        case .serviceUnavailable: "Service Unavailable"
        case .versionNotSupported: "HTTP Version Not Supported"
        }
    }
}

/// One answer: status, content type, extra header fields and the body. Every answer closes the
/// connection (`Connection: close`), and none may be cached: what it shows is live.
struct HTTPResponse: Sendable, Equatable {
    var status: HTTPStatus
    var contentType: String
    var body: [UInt8]
    var fields: [HTTPField] = []

    struct HTTPField: Sendable, Equatable {
        var name: String
        var value: String
    }

    init(_ status: HTTPStatus, contentType: String, body: [UInt8], fields: [HTTPField] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.fields = fields
    }

    static func text(_ status: HTTPStatus, _ text: String, fields: [HTTPField] = []) -> HTTPResponse {
        HTTPResponse(status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8), fields: fields)
    }

    /// Status line and header fields, then the body.
    func serialized() -> [UInt8] {
        var head = "HTTP/1.1 \(status.rawValue) \(status.reason)\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Cache-Control: no-store\r\n"
        head += "X-Content-Type-Options: nosniff\r\n"
        for field in fields { head += "\(field.name): \(field.value)\r\n" }
        head += "Connection: close\r\n\r\n"
        var out = Array(head.utf8)
        out.reserveCapacity(out.count + body.count)
        out.append(contentsOf: body)
        return out
    }
}
