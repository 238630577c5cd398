import CMosquitto
import Glibc

/// A libmosquitto call that failed, with the library's own explanation (and, for
/// `MOSQ_ERR_ERRNO`, the system's: the `errno` read right after the call).
public struct MQTTError: Error, CustomStringConvertible, Sendable, Equatable {
    public let code: Int32
    public let operation: String
    /// Set when `code` is `MOSQ_ERR_ERRNO`: the system call underneath failed with this.
    public let errno: Int32?

    public init(code: Int32, operation: String, errno: Int32? = nil) {
        self.code = code
        self.operation = operation
        self.errno = errno
    }

    /// The library's text for the code, or the system's for `MOSQ_ERR_ERRNO`.
    public var reason: String {
        if let errno { return String(cString: strerror(errno)) }
        return String(cString: mosquitto_strerror(code))
    }

    public var description: String { "\(operation) failed: \(reason) (code \(code))" }

    static let noConnection = Int32(MOSQ_ERR_NO_CONN.rawValue)
}
