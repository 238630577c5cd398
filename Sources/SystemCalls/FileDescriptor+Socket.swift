import Glibc

/// Stream and datagram sockets: creation, options, listen/accept, shutdown.
extension FileDescriptor {
    public enum SocketDomain: Sendable {
        case unix
        case ipv4
        var value: Int32 { self == .unix ? AF_UNIX : AF_INET }
    }

    public enum SocketType: Sendable {
        case stream
        case datagram
        var value: Int32 { Int32((self == .stream ? SOCK_STREAM : SOCK_DGRAM).rawValue) }
    }

    /// A new socket (close-on-exec).
    public static func socket(_ domain: SocketDomain, _ type: SocketType) throws(SystemCallError) -> FileDescriptor {
        let fd = try check(Glibc.socket(domain.value, type.value | Int32(SOCK_CLOEXEC.rawValue), 0), "socket")
        return FileDescriptor(rawValue: fd)
    }

    public enum Timeout: Sendable {
        case receive
        case send
        var option: Int32 { self == .receive ? SO_RCVTIMEO : SO_SNDTIMEO }
    }

    /// A blocking read or write on this socket fails with a timeout error (`isTimeout`) after
    /// `seconds` (rounded up to a microsecond; at least one).
    public func setTimeout(_ which: Timeout, seconds: Double) throws(SystemCallError) {
        let microseconds = max(1, Int((seconds * 1_000_000).rounded(.up)))
        var value = timeval(tv_sec: microseconds / 1_000_000, tv_usec: microseconds % 1_000_000)
        try check(
            setsockopt(rawValue, SOL_SOCKET, which.option, &value, socklen_t(MemoryLayout<timeval>.size)),
            which == .receive ? "setsockopt SO_RCVTIMEO" : "setsockopt SO_SNDTIMEO")
    }

    /// SO_REUSEADDR: a restarted server can bind its port while old connections linger in TIME_WAIT.
    public func setReuseAddress() throws(SystemCallError) {
        var yes: Int32 = 1
        try check(
            setsockopt(rawValue, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)),
            "setsockopt SO_REUSEADDR")
    }

    /// TCP_QUICKACK: the data received so far is acknowledged at once rather than up to 40 ms
    /// later. Not sticky: the kernel returns to delayed acknowledgements by itself (tcp(7)), so a
    /// reader sets it again after each read. Fails with ENOPROTOOPT on a socket that is not TCP.
    public func acknowledgeAtOnce() throws(SystemCallError) {
        var yes: Int32 = 1
        try check(
            setsockopt(rawValue, Int32(IPPROTO_TCP), TCP_QUICKACK, &yes, socklen_t(MemoryLayout<Int32>.size)),
            "setsockopt TCP_QUICKACK")
    }

    public func listen(backlog: Int32) throws(SystemCallError) {
        try check(Glibc.listen(rawValue, backlog), "listen")
    }

    /// The next connection. Fails with EINVAL once the listener is shut down.
    public func accept() throws(SystemCallError) -> FileDescriptor {
        let fd = try check(Glibc.accept(rawValue, nil, nil), "accept")
        return FileDescriptor(rawValue: fd)
    }

    /// Ends both directions: wakes a thread blocked in `accept` or `read` on this socket.
    public func shutdown() throws(SystemCallError) {
        try check(Glibc.shutdown(rawValue, Int32(SHUT_RDWR)), "shutdown")
    }
}
