import FleetCore
import Foundation
import Glibc

/// The operators' alert log: one line per committed event, appended with a single `write(2)`
/// (so it is flushed per line and never interleaved), never rewritten. Reopened on SIGHUP/SIGUSR1
/// after logrotate; `O_APPEND` also makes `copytruncate` safe.
final class AlertLog {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "alert log \(path): \(String(cString: strerror(errno)))" }
    }

    let path: String
    let format: StorageSettings.AlertLogFormat
    private var fd: Int32 = -1

    /// No time format of its own: every line is rendered with the engine's `localTime.format`,
    /// so a reloaded `sla.timezone` reaches the lines' timestamps as it reaches `respond_by`.
    init(path: String, format: StorageSettings.AlertLogFormat) {
        self.path = path
        self.format = format
    }

    deinit { if fd >= 0 { close(fd) } }

    func render(_ event: AlertEvent, _ time: TimeFormat) -> String {
        format == .json ? event.jsonLine(time) : event.textLine(time)
    }

    func reopen() throws {
        if fd >= 0 { close(fd) }
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        if fd < 0 { throw WriteError(path: path, errno: errno) }
    }

    func write(_ event: AlertEvent, _ time: TimeFormat) throws {
        if fd < 0 { try reopen() }
        var line = render(event, time)
        line += "\n"
        let ok = line.withCString { pointer -> Bool in
            let length = strlen(pointer)
            return Glibc.write(fd, pointer, length) == length
        }
        if !ok {
            let error = WriteError(path: path, errno: errno)
            close(fd)
            fd = -1
            throw error
        }
    }

    /// Events committed but possibly not written before a crash: those whose exact line is not
    /// already near the end of the log are the ones still to write.
    func missing(from events: [AlertEvent], _ time: TimeFormat) -> [AlertEvent] {
        guard !events.isEmpty else { return [] }
        let tail = readTail(bytes: 1 << 20)
        let written = Set(tail.split(separator: "\n").map(String.init))
        return events.filter { !written.contains(render($0, time)) }
    }

    private func readTail(bytes: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(bytes) ? size - UInt64(bytes) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
