import Foundation
import Logging
import SystemCalls

/// The sd_notify protocol, implemented here rather than linking libsystemd: one datagram per
/// message to the AF_UNIX socket named by `$NOTIFY_SOCKET` (a path, or `@name` for the abstract
/// namespace). Without `$NOTIFY_SOCKET` (not under systemd) every call does nothing.
final class SystemdNotifier {
    private let target: (socket: FileDescriptor, address: UnixSocketAddress)?
    private let logger: Logger
    /// The last send failure logged, so a systemd that went away is reported once, not per ping.
    private var lastFailure: SystemCallError?
    /// Half of `$WATCHDOG_USEC` (systemd's advice), when the watchdog is on for this process.
    let watchdogInterval: Double?

    init(environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) throws {
        self.logger = logger
        var interval: Double?
        if let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0,
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == ProcessControl.currentID }) ?? true
        {
            interval = usec / 1_000_000 / 2
        }
        watchdogInterval = interval
        guard let path = environment["NOTIFY_SOCKET"], let address = UnixSocketAddress(notifySocket: path) else {
            target = nil
            return
        }
        do {
            target = (try FileDescriptor.socket(.unix, .datagram), address)
        } catch {
            throw DaemonError("NOTIFY_SOCKET \(path): \(error)")
        }
    }

    deinit { target?.socket.release() }  // datagrams already sent; nothing buffered

    var isActive: Bool { target != nil }

    func ready() { send("READY=1") }
    func reloading() { send("RELOADING=1") }
    func stopping() { send("STOPPING=1") }
    func watchdog() { send("WATCHDOG=1") }
    func status(_ text: String) { send("STATUS=\(text)") }

    func send(_ message: String) {
        guard let target else { return }
        do {
            try target.socket.send(Array(message.utf8), to: target.address)
            lastFailure = nil
        } catch {
            if error != lastFailure {
                logger.warning("systemd notification failed", metadata: ["message": "\(message)", "error": "\(error)"])
            }
            lastFailure = error
        }
    }
}
