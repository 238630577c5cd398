import Glibc

/// Non-blocking use of a socket, for servers that serve many connections from one `poll` loop:
/// each call does what can be done now and says "not yet" (nil) instead of waiting.
extension FileDescriptor {
    /// O_NONBLOCK on (F_GETFL, then F_SETFL with the flag added).
    public func setNonBlocking() throws(SystemCallError) {
        let flags = try check(fcntl(rawValue, F_GETFL), "fcntl F_GETFL")
        try check(fcntl(rawValue, F_SETFL, flags | O_NONBLOCK), "fcntl F_SETFL O_NONBLOCK")
    }

    /// Close-on-exec (FD_CLOEXEC), for descriptors not created with it.
    public func setCloseOnExec() throws(SystemCallError) {
        let flags = try check(fcntl(rawValue, F_GETFD), "fcntl F_GETFD")
        try check(fcntl(rawValue, F_SETFD, flags | FD_CLOEXEC), "fcntl F_SETFD FD_CLOEXEC")
    }

    /// The next pending connection on a non-blocking listener, itself made non-blocking and
    /// close-on-exec (Glibc's Swift module does not export `accept4`); nil when none is waiting.
    /// ECONNABORTED (a client gave up while queued) is "none" too.
    public func acceptIfReady() throws(SystemCallError) -> FileDescriptor? {
        while true {
            let fd = Glibc.accept(rawValue, nil, nil)
            if fd >= 0 {
                let client = FileDescriptor(rawValue: fd)
                do {
                    try client.setCloseOnExec()
                    try client.setNonBlocking()
                } catch {
                    client.release()  // nothing was read or written on it yet
                    throw error
                }
                return client
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ECONNABORTED: return nil
            default: throw SystemCallError("accept", errno: code)
            }
        }
    }

    /// Reads what is there: the byte count (0 at the end of the stream), nil when nothing is
    /// there yet.
    public func readIfReady(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int? {
        while true {
            let n = Glibc.read(rawValue, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SystemCallError("read", errno: code)
            }
        }
    }

    /// Writes what the socket takes now (MSG_NOSIGNAL: a peer that went away is an EPIPE error,
    /// not a SIGPIPE): the byte count, 0 when it takes nothing yet.
    public func writeIfReady(_ bytes: UnsafeRawBufferPointer) throws(SystemCallError) -> Int {
        guard !bytes.isEmpty else { return 0 }
        while true {
            let n = Glibc.send(rawValue, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return n }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            default: throw SystemCallError("send", errno: code)
            }
        }
    }

    /// Ends the sending direction only: the peer reads the end of the stream after our last
    /// byte, and can still send (what it sends is drained before close, so close sends no RST).
    public func shutdownWrite() throws(SystemCallError) {
        try check(Glibc.shutdown(rawValue, Int32(SHUT_WR)), "shutdown SHUT_WR")
    }
}
