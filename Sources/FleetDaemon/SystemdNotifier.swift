import Foundation
import Glibc

/// The sd_notify protocol, implemented here rather than linking libsystemd: one datagram per
/// message to the AF_UNIX socket named by `$NOTIFY_SOCKET` (a path, or `@name` for the abstract
/// namespace). Without `$NOTIFY_SOCKET` (not under systemd) every call does nothing.
final class SystemdNotifier {
    private let address: sockaddr_un?
    private let addressLength: socklen_t
    private let fd: Int32
    /// Half of `$WATCHDOG_USEC` (systemd's advice), when the watchdog is on for this process.
    let watchdogInterval: Double?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        var interval: Double?
        if let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0,
           environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true {
            interval = usec / 1_000_000 / 2
        }
        watchdogInterval = interval
        guard let path = environment["NOTIFY_SOCKET"], path.count > 1, path.utf8.count < 108,
              path.hasPrefix("/") || path.hasPrefix("@") else {
            address = nil
            addressLength = 0
            fd = -1
            return
        }
        var a = sockaddr_un()
        a.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace: leading NUL
        withUnsafeMutableBytes(of: &a.sun_path) { $0.copyBytes(from: bytes) }
        address = a
        // Abstract names are not NUL-terminated: the length says where they end.
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes[0] == 0 ? 0 : 1))
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    deinit { if fd >= 0 { close(fd) } }

    var isActive: Bool { address != nil && fd >= 0 }

    func ready() { send("READY=1") }
    func reloading() { send("RELOADING=1") }
    func stopping() { send("STOPPING=1") }
    func watchdog() { send("WATCHDOG=1") }
    func status(_ text: String) { send("STATUS=\(text)") }

    func send(_ message: String) {
        guard var address, fd >= 0 else { return }
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, addressLength) }
            }
        }
    }
}
