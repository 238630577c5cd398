import Glibc

/// A `sockaddr_in` for a dotted-quad host (or `localhost`) and a port.
public struct IPv4SocketAddress: Sendable {
    let storage: sockaddr_in
    public let text: String

    /// nil when `host` is not an IPv4 address.
    public init?(host: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let resolved = host == "localhost" ? "127.0.0.1" : host
        // 1: parsed; 0: not an address; -1 only for an unknown family, which AF_INET is not.
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else { return nil }
        storage = address
        text = "\(host):\(port)"
    }
}

extension FileDescriptor {
    public func bind(to address: IPv4SocketAddress) throws(SystemCallError) {
        let rc = withUnsafePointer(to: address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(rawValue, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try check(rc, "bind \(address.text)")
    }

    /// A listening TCP socket on `address` (SO_REUSEADDR set).
    public static func listen(at address: IPv4SocketAddress, backlog: Int32) throws(SystemCallError) -> FileDescriptor {
        let socket = try FileDescriptor.socket(.ipv4, .stream)
        do {
            try socket.setReuseAddress()
            try socket.bind(to: address)
            try socket.listen(backlog: backlog)
            return socket
        } catch {
            socket.release()  // the bind/listen error is the one worth reporting
            throw error
        }
    }
}

extension FileDescriptor {
    /// The port a bound IPv4 socket has (the one the kernel chose for port 0).
    public func localIPv4Port() throws(SystemCallError) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(rawValue, $0, &length) }
        }
        try check(rc, "getsockname")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
