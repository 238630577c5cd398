import FleetCore
import Foundation
import Glibc

/// The control socket: a Unix stream socket (mode 0660) on which `fleetwatch` sends one JSON
/// request per connection. Requests are handed to the engine loop through the inbox, which
/// validates, commits, announces and then answers on the same connection.
final class ControlServer: @unchecked Sendable {
    // @unchecked: `listener` is written in start() before the accept thread exists and read-only
    // afterwards; stop() only shuts the descriptor down, which is how the accept thread is woken.

    let path: String
    private let inbox: Inbox
    private var listener: Int32 = -1
    private var thread: Thread?
    /// Each connection's request is read on a thread of its own, not on the accept thread: a
    /// client that connects and sends nothing holds one reader for the 5 s timeout, not every
    /// other operator's command. At most `maxReaders` at once; beyond that a client is told the
    /// daemon is busy, so a flood of connections cannot use up threads or descriptors.
    static let maxReaders = 16
    private let readerSlots = DispatchSemaphore(value: ControlServer.maxReaders)

    init(path: String, inbox: Inbox) {
        self.path = path
        self.inbox = inbox
    }

    /// Binds the socket. A socket file nobody answers on is stale (a crash) and is replaced;
    /// one that answers belongs to a running daemon, and starting a second one is refused.
    func start() throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        var existing = stat()
        if lstat(path, &existing) == 0 {
            // Only a socket is ours to replace: control.socket naming any other file is a mistake
            // in the configuration, and that file is left alone.
            guard existing.st_mode & S_IFMT == S_IFSOCK else {
                throw DaemonError("control.socket \(path) exists and is not a socket; refusing to replace it")
            }
            if ControlConnection.canConnect(path) {
                throw DaemonError("control socket \(path) is in use: is another fleetwatchd running?")
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DaemonError("control socket: \(String(cString: strerror(errno)))") }
        var address = UnixSocketPath.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, chmod(path, 0o660) == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw DaemonError("control socket \(path): \(reason)")
        }
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "control-socket"
        self.thread = thread
        thread.start()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:  // out of descriptors for now: not the end
                    usleep(100_000)
                    continue
                default: return  // shut down
                }
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connection = ControlConnection(fd: client)
            guard readerSlots.wait(timeout: .now()) == .success else {
                connection.reply(.failure("daemon busy: \(Self.maxReaders) control connections open, try again"))
                continue
            }
            let reader = Thread { [inbox, readerSlots] in
                defer { readerSlots.signal() }
                Self.receive(connection, into: inbox)
            }
            reader.name = "control-reader"
            reader.start()
        }
    }

    /// Reads one request and hands it to the engine loop, or answers a malformed one at once.
    private static func receive(_ connection: ControlConnection, into inbox: Inbox) {
        guard let line = connection.readLine(limit: 65536, within: 5) else {
            connection.reply(.failure("request must be one JSON line of at most 64 KiB, sent within 5 s"))
            return
        }
        switch ControlRequest.parse(line) {
        case .success(let request): inbox.post(.request(request, connection))
        case .failure(let error): connection.reply(.failure(error.description))
        }
    }

    /// Stops accepting and removes the socket file.
    func stop() {
        guard listener >= 0 else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }
}
