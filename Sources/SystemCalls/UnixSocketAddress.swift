import Glibc

/// A `sockaddr_un` and the length to pass with it.
public struct UnixSocketAddress: Sendable {
    let storage: sockaddr_un
    let length: socklen_t
    /// How the address reads in an error: the path, or `@name` for the abstract namespace.
    public let text: String

    /// A file-system path. The configuration refuses a path longer than `sun_path` can hold
    /// (`control.socket`, at most 107 bytes); a longer one is cut, and then names another file.
    public init(path: String) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        storage = address
        length = socklen_t(MemoryLayout<sockaddr_un>.size)
        text = path
    }

    /// `$NOTIFY_SOCKET`'s form: a path, or `@name` for the abstract namespace (a leading NUL and
    /// no terminating one: the length says where the name ends). nil when it is neither or too long.
    public init?(notifySocket: String) {
        var bytes = Array(notifySocket.utf8)
        guard bytes.count > 1, bytes.count < 108, bytes[0] == UInt8(ascii: "/") || bytes[0] == UInt8(ascii: "@") else {
            return nil
        }
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        storage = address
        length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes[0] == 0 ? 0 : 1))
        text = notifySocket
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }
}

extension FileDescriptor {
    public func bind(to address: UnixSocketAddress) throws(SystemCallError) {
        try check(address.withSockaddr { Glibc.bind(rawValue, $0, $1) }, "bind \(address.text)")
    }

    public func connect(to address: UnixSocketAddress) throws(SystemCallError) {
        // Not retried on EINTR: an interrupted connect goes on by itself and a second call fails
        // with EALREADY; the caller sees the EINTR and may try again with a new socket.
        try check(address.withSockaddr { Glibc.connect(rawValue, $0, $1) }, "connect \(address.text)")
    }

    /// One datagram, without SIGPIPE.
    public func send(_ bytes: [UInt8], to address: UnixSocketAddress) throws(SystemCallError) {
        try retryingInterrupts("sendto \(address.text)") {
            bytes.withUnsafeBytes { raw in
                address.withSockaddr { sendto(rawValue, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), $0, $1) }
            }
        }
    }
}
