import Glibc

/// The control socket's two ends, shared by the daemon (listen, and its check for a live socket at
/// start) and the CLI (connect), so both read a path the same way.
public enum UnixSocketPath {
    /// A stream socket connected to `path`.
    public static func connect(_ path: String) throws(SystemCallError) -> FileDescriptor {
        let socket = try FileDescriptor.socket(.unix, .stream)
        do {
            try socket.connect(to: UnixSocketAddress(path: path))
            return socket
        } catch {
            socket.release()  // the connect error is the one worth reporting
            throw error
        }
    }

    /// Whether something answers on `path` (a live daemon, as opposed to a socket a crash left behind).
    public static func isAnswering(_ path: String) -> Bool {
        guard let socket = try? connect(path) else { return false }
        socket.release()  // a probe: nothing was sent, nothing can be lost
        return true
    }

    /// A listening stream socket bound to `path` with `permissions`; the file must not exist.
    ///
    /// The mode is the umask's during `bind`, which creates the file: a `chmod` afterwards would
    /// leave a moment in which the socket has the mode the process umask allows (0777 & ~umask),
    /// and could follow a link put at the path meanwhile. The umask is process-wide, so this runs
    /// while the daemon starts, before its other threads create files.
    public static func listen(
        at path: String, permissions: mode_t, backlog: Int32
    ) throws(SystemCallError) -> FileDescriptor {
        let socket = try FileDescriptor.socket(.unix, .stream)
        do throws(SystemCallError) {
            let previous = umask(~permissions & 0o777)  // umask cannot fail
            do throws(SystemCallError) {
                try socket.bind(to: UnixSocketAddress(path: path))
            } catch {
                umask(previous)
                throw error
            }
            umask(previous)
            try socket.listen(backlog: backlog)
            return socket
        } catch {
            socket.release()  // the bind/listen error is the one worth reporting
            throw error
        }
    }
}
