import Glibc

/// The one place return codes become errors: -1 throws with `errno`, read at once (nothing runs
/// between the call returning and this check but the evaluation of `call`, a literal or a
/// closure run only on failure).
@inline(__always) @discardableResult
func check(_ result: Int32, _ call: @autoclosure () -> String) throws(SystemCallError) -> Int32 {
    guard result == -1 else { return result }
    let code = Glibc.errno
    throw SystemCallError(call(), errno: code)
}

@inline(__always) @discardableResult
func check(_ result: Int, _ call: @autoclosure () -> String) throws(SystemCallError) -> Int {
    guard result == -1 else { return result }
    let code = Glibc.errno
    throw SystemCallError(call(), errno: code)
}

/// Runs `body` again while it fails with EINTR (a signal arrived during a blocking call).
@inline(__always) @discardableResult
func retryingInterrupts<T: FixedWidthInteger>(
    _ call: @autoclosure () -> String,
    _ body: () -> T
) throws(SystemCallError) -> T {
    while true {
        let result = body()
        guard result == -1 else { return result }
        let code = Glibc.errno
        if code != EINTR { throw SystemCallError(call(), errno: code) }
    }
}
