import CMosquitto

/// The text libmosquitto gives a CONNACK code (for "not authorised" and friends).
public func connackDescription(_ code: Int32) -> String {
    String(cString: mosquitto_connack_string(code))
}
