import FleetCore
import SystemCalls

/// The operators' alert log: one line per committed event, appended with a single `write(2)`
/// (so it is flushed per line and never interleaved), never rewritten. Reopened on SIGHUP/SIGUSR1
/// after logrotate; `O_APPEND` also makes `copytruncate` safe.
///
/// It has no time format of its own: every line is rendered with the engine's
/// `localTime.format`, so a reloaded `sla.timezone` reaches the lines' timestamps as it reaches
/// `respond_by`.
final class AlertLog {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let error: SystemCallError
        var description: String { "alert log \(path): \(error.reason)" }
    }

    let path: String
    let format: StorageSettings.AlertLogFormat
    /// nil after a failed write: the next write reopens the file.
    private var file: FileDescriptor?

    init(path: String, format: StorageSettings.AlertLogFormat) {
        self.path = path
        self.format = format
    }

    deinit { file?.release() }

    func render(_ event: AlertEvent, _ time: TimeFormat) -> String {
        format == .json ? event.jsonLine(time) : event.textLine(time)
    }

    func reopen() throws(WriteError) {
        // Every line went out with a write(2) of its own whose result was checked: closing the
        // old file has nothing left to deliver.
        file?.release()
        file = nil
        do {
            file = try FileDescriptor.open(path, .appendCreating(mode: 0o640))
        } catch {
            throw WriteError(path: path, error: error)
        }
    }

    func write(_ event: AlertEvent, _ time: TimeFormat) throws(WriteError) {
        if file == nil { try reopen() }
        guard let file else { return }
        var line = render(event, time)
        line += "\n"
        do {
            try file.writeAll(Array(line.utf8))
        } catch {
            file.release()  // the write error is the one to report; the next write reopens
            self.file = nil
            throw WriteError(path: path, error: error)
        }
    }

    /// The lines in the last `bytes` of the log (the first one possibly cut): where the lines of
    /// events committed just before a crash would be. Empty when the log does not exist yet.
    func tailLines(bytes: Int = 1 << 20) throws -> Set<String> {
        let reader: FileDescriptor
        do {
            reader = try FileDescriptor.open(path, .readOnly)
        } catch {
            if error.isNotFound { return [] }
            throw error
        }
        defer { reader.release() }
        let size = try reader.status().size
        let start = max(0, size - Int64(bytes))
        var data = [UInt8](repeating: 0, count: Int(size - start))
        var filled = 0
        while filled < data.count {
            let n = try data.withUnsafeMutableBytes { raw in
                try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), at: start + Int64(filled))
            }
            if n == 0 { break }
            filled += n
        }
        return Set(data[..<filled].split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) })
    }
}
