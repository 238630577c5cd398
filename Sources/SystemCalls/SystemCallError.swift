import Glibc

/// A system call that failed, with the `errno` it set: `bind /run/fleetwatch/control.sock:
/// Address already in use`. What the call was about (a path, an address) is part of `call`, so the
/// description names the thing an operator can act on.
public struct SystemCallError: Error, CustomStringConvertible, Sendable, Equatable {
    public let call: String
    public let errno: Int32

    public init(_ call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The C library's text for the code, without the call: `Permission denied`.
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(call): \(reason)" }

    /// The file (or a directory on its path) does not exist.
    public var isNotFound: Bool { errno == ENOENT || errno == ENOTDIR }

    /// The process or the system is out of descriptors or buffers for now (an `accept` that
    /// should be tried again later, not the end of a server).
    public var isOutOfResources: Bool { errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM }

    /// A receive or send timeout set with `FileDescriptor.setTimeout` ran out.
    public var isTimeout: Bool { errno == EAGAIN || errno == EWOULDBLOCK }
}
