import CMosquitto

/// A libmosquitto call that failed, with the library's own explanation.
public struct MQTTError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let operation: String

    public var description: String {
        "\(operation) failed: \(String(cString: mosquitto_strerror(code))) (code \(code))"
    }
}

/// Turns a libmosquitto return code into a thrown `MQTTError`; the one place return codes are checked.
@inline(__always)
func check(_ code: Int32, _ operation: String) throws(MQTTError) {
    guard code == Int32(MOSQ_ERR_SUCCESS.rawValue) else { throw MQTTError(code: code, operation: operation) }
}

/// The text libmosquitto gives a CONNACK code (for "not authorised" and friends).
public func connackDescription(_ code: Int32) -> String {
    String(cString: mosquitto_connack_string(code))
}
