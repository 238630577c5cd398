import Foundation

/// The daemon's one answer to a request: `{"ok":true,"message":…}` or `{"ok":false,"error":…}`.
/// A success means the change is committed and announced; a failure's text is one line that says
/// what to do.
public enum ControlReply: Sendable, Equatable {
    case success(String)
    case failure(String)
}

extension ControlReply: Codable {
    enum Key: String, CodingKey { case ok, message, error }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Key.self)
        if (try? fields.decodeIfPresent(Bool.self, forKey: .ok)) == true {
            self = .success((try? fields.decodeIfPresent(String.self, forKey: .message)) ?? "ok")
        } else {
            self = .failure(
                (try? fields.decodeIfPresent(String.self, forKey: .error)) ?? "fleetwatchd refused the request")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: Key.self)
        switch self {
        case .success(let message):
            try fields.encode(true, forKey: .ok)
            try fields.encode(message, forKey: .message)
        case .failure(let error):
            try fields.encode(false, forKey: .ok)
            try fields.encode(error, forKey: .error)
        }
    }

    /// The reply as one line, newline included. A reply holds only strings and a boolean, which
    /// always encode; the fixed line is there so that a client is never left without an answer.
    public var line: String {
        (try? ControlLine.encode(self)) ?? #"{"ok":false,"error":"the daemon could not encode its reply"}"# + "\n"
    }

    /// nil when `bytes` is not a reply (nothing came, or not JSON).
    public init?(bytes: [UInt8]) {
        guard let reply = try? JSONDecoder().decode(ControlReply.self, from: Data(bytes)) else { return nil }
        self = reply
    }
}
