import FleetControl
import Foundation
import Logging
import Synchronization
import SystemCalls

/// The control socket: a Unix stream socket (mode 0660) on which `fleetwatch` sends one JSON
/// request per connection. Requests are handed to the engine loop through the inbox, which
/// validates, commits, announces and then answers on the same connection.
final class ControlServer: Service, Sendable {
    var name: String { "control-socket" }
    let path: String
    private let inbox: Inbox
    private let logger: Logger
    /// Bound in start(), before `run()` gets its thread; shut down by stop(), closed by `run()`.
    private let listener = Mutex<FileDescriptor?>(nil)
    /// Each connection's request is read on a thread of its own, not on the accept thread: a
    /// client that connects and sends nothing holds one reader for the 5 s timeout, not every
    /// other operator's command. At most `maxReaders` at once; beyond that a client is told the
    /// daemon is busy, so a flood of connections cannot use up threads or descriptors.
    static let maxReaders = 16
    static let maxRequestBytes = 65536
    static let requestSeconds = 5.0
    private let readerSlots = DispatchSemaphore(value: ControlServer.maxReaders)

    init(path: String, inbox: Inbox, logger: Logger) {
        self.path = path
        self.inbox = inbox
        self.logger = logger
    }

    /// Binds the socket. A socket file nobody answers on is stale (a crash) and is replaced;
    /// one that answers belongs to a running daemon, and starting a second one is refused.
    func start() throws {
        do {
            try FileSystem.createParentDirectory(of: path)
        } catch {
            throw DaemonError("control.socket \(path): cannot create its directory (\(error))")
        }
        do {
            switch try FileSystem.type(of: path) {
            case nil:
                break
            case .socket:
                if UnixSocketPath.isAnswering(path) {
                    throw DaemonError("control socket \(path) is in use: is another fleetwatchd running?")
                }
                try FileSystem.remove(path)
            case .directory, .other:
                // Only a socket is ours to replace: control.socket naming any other file is a
                // mistake in the configuration, and that file is left alone.
                throw DaemonError("control.socket \(path) exists and is not a socket; refusing to replace it")
            }
            let socket = try UnixSocketPath.listen(at: path, permissions: 0o660, backlog: 16)
            listener.withLock { $0 = socket }
        } catch let error as SystemCallError {
            throw DaemonError("control socket \(path): \(error)")
        }
    }

    /// Accepts until stop(); each connection goes to a reader thread.
    func run() {
        guard let socket = listener.withLock({ $0 }) else { return }
        defer { socket.release() }  // a listener: nothing buffered to lose
        while true {
            let client: FileDescriptor
            do {
                client = try socket.accept()
            } catch {
                switch error.errno {
                case ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:  // out of descriptors for now: not the end
                    Thread.sleep(forTimeInterval: 0.1)
                    continue
                default:
                    return  // shut down by stop()
                }
            }
            let connection = ControlConnection(socket: client)
            do {
                try client.setTimeout(.send, seconds: Self.requestSeconds)
            } catch {
                logger.warning("control connection refused", metadata: ["error": "\(error)"])
                continue  // the connection closes as it goes out of scope
            }
            guard readerSlots.wait(timeout: .now()) == .success else {
                answer(connection, .failure("daemon busy: \(Self.maxReaders) control connections open, try again"))
                continue
            }
            let reader = Thread { [inbox, readerSlots, logger] in
                defer { readerSlots.signal() }
                Self.receive(connection, into: inbox, logger: logger)
            }
            reader.name = "control-reader"
            reader.start()
        }
    }

    /// Reads one request and hands it to the engine loop, or answers a malformed one at once.
    private static func receive(_ connection: ControlConnection, into inbox: Inbox, logger: Logger) {
        let line: String
        switch connection.readRequest(limit: maxRequestBytes, within: requestSeconds) {
        case .line(let text):
            line = text
        case .tooLong, .incomplete:
            answer(connection, .failure("request must be one JSON line of at most 64 KiB, sent within 5 s"), logger)
            return
        }
        do {
            inbox.post(.request(try ControlRequest(line: line), connection))
        } catch {
            answer(connection, .failure(error.description), logger)
        }
    }

    private func answer(_ connection: ControlConnection, _ reply: ControlReply) {
        Self.answer(connection, reply, logger)
    }

    /// A client that went away before its answer learns nothing more: worth a debug line only.
    static func answer(_ connection: ControlConnection, _ reply: ControlReply, _ logger: Logger) {
        do {
            try connection.reply(reply)
        } catch {
            logger.debug("control reply not delivered", metadata: ["error": "\(error)"])
        }
    }

    /// Wakes the accept thread (which then closes the listener) and removes the socket file.
    func stop() {
        guard let socket = listener.withLock({ $0 }) else { return }
        do {
            try socket.shutdown()
        } catch {
            logger.error("control socket shutdown failed", metadata: ["error": "\(error)"])
        }
        do {
            try FileSystem.remove(path)
        } catch {
            logger.error("control socket file cannot be removed", metadata: ["error": "\(error)"])
        }
    }
}
