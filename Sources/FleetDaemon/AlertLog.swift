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
    /// The file does not end with a newline (a line torn by a crash, or one a failed write could
    /// not cut back): the next line starts with one, so it is never glued to the fragment.
    private var endsInsideALine = false

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
        endsInsideALine = !Self.endsWithNewline(path)
    }

    /// Appends one line with one `write(2)`. A write that fails after part of the line went out
    /// (a full disk writes what fits, then ENOSPC) is cut back to where the line began, so the
    /// log holds only whole lines; the line stays unannounced and is written again later.
    func write(_ event: AlertEvent, _ time: TimeFormat) throws(WriteError) {
        if file == nil { try reopen() }
        guard let file else { return }
        var line = endsInsideALine ? "\n" : ""
        line += render(event, time)
        line += "\n"
        // O_APPEND: the line starts at the end of the file as it is now (we are its only writer).
        let start = try? file.status().size
        do {
            try file.writeAll(Array(line.utf8))
            endsInsideALine = false
        } catch {
            if let start { Self.cutBack(file, to: start) }
            file.release()  // the write error is the one to report; the next write reopens
            self.file = nil
            throw WriteError(path: path, error: error)
        }
    }

    /// Removes what a failed write left after `start`. If the file is shorter than that
    /// (copytruncate ran meanwhile) nothing is cut: the reopen then sees a torn end and starts
    /// the next line on a line of its own.
    private static func cutBack(_ file: FileDescriptor, to start: Int64) {
        guard let size = try? file.status().size, size > start else { return }
        do {
            try file.truncate(to: start)
        } catch {
            // Shrinking needs no free space; should it fail anyway, the reopen before the next
            // write finds the torn end and begins with a newline.
        }
    }

    /// Whether the file is empty or ends with `\n` (true when it cannot be read: the write
    /// that follows reports the problem).
    private static func endsWithNewline(_ path: String) -> Bool {
        guard let reader = try? FileDescriptor.open(path, .readOnly) else { return true }
        defer { reader.release() }  // read-only: nothing to lose
        guard let size = try? reader.status().size, size > 0 else { return true }
        var last: UInt8 = 0
        let n = withUnsafeMutableBytes(of: &last) { (try? reader.read(into: $0, at: size - 1)) ?? 0 }
        return n != 1 || last == UInt8(ascii: "\n")
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
                try reader.read(
                    into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), at: start + Int64(filled))
            }
            if n == 0 { break }
            filled += n
        }
        return Set(data[..<filled].split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) })
    }
}
