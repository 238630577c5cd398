import CReadAhead
import Glibc

/// The network thread's read-ahead of its broker socket (`Sources/CReadAhead/read_ahead.c`):
/// libmosquitto's two to four `read`s per packet are served from a 64 KiB buffer, one system
/// call per buffer instead of per packet part; its QoS 1 acknowledgements are held and sent
/// together after each drain. The state is the calling thread's, so every call here is the
/// network thread's.
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

    /// Sends the PUBACKs held back since the last call (libmosquitto wrote each on its own, one
    /// system call per QoS 1 message): after each drain and before each `pselect`. False when
    /// some could not be sent yet (a full socket buffer: they stay held) or the socket failed
    /// (libmosquitto's next read or write on it reports that).
    @discardableResult
    static func sendHeldAcknowledgements() -> Bool { fleetwatch_write_behind_flush() == 0 }

    /// Bytes of acknowledgements held and not sent yet.
    static var heldAcknowledgementBytes: Int { fleetwatch_write_behind_pending() }
}
