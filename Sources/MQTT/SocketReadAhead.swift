import CReadAhead
import Glibc

/// The network thread's read-ahead of its broker socket (`Sources/CReadAhead/read_ahead.c`):
/// libmosquitto's two to four `read`s per packet are served from a 64 KiB buffer, one system
/// call per buffer instead of per packet part. The state is the calling thread's, so every call
/// here is the network thread's.
enum SocketReadAhead {
    /// False where this process's `read` is the C library's (the module in a shared object
    /// loaded with dlopen): attaching would change nothing there.
    static let isAvailable = fleetwatch_read_ahead_interposes() != 0

    /// Buffers this thread's reads of `socket` from now on, dropping anything buffered for
    /// another socket (the same socket again keeps its bytes). False when the 64 KiB could not
    /// be had (reads stay direct).
    static func attach(_ socket: Int32) -> Bool { fleetwatch_read_ahead_attach(socket) == 0 }

    static func detach() { fleetwatch_read_ahead_detach() }

    /// Bytes read from the socket that libmosquitto has not taken yet: a `pselect` would not
    /// wake for them.
    static var pending: Int { fleetwatch_read_ahead_pending() }
}
