import CMosquitto
import Glibc

/// Turns a libmosquitto return code into a thrown `MQTTError`: the one place return codes are
/// checked. `errno` is read at once, before anything else can change it.
@inline(__always)
func check(_ code: Int32, _ operation: StaticString) throws(MQTTError) {
    guard code != Int32(MOSQ_ERR_SUCCESS.rawValue) else { return }
    let systemError = code == Int32(MOSQ_ERR_ERRNO.rawValue) ? Glibc.errno : nil
    throw MQTTError(code: code, operation: "\(operation)", errno: systemError)
}
