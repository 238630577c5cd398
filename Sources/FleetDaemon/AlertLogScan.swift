import FleetCore
import SystemCalls

/// What the alert log says about incident ids, read at start: the highest id any line names, and
/// the lines of incidents the database does not know (ids at or above its next id).
///
/// Incident ids are never reused (SPEC §8), and the log can know ids the database does not: a
/// storage-failure line is written before its commit (the commit is what fails), so a crash
/// during a storage failure leaves an id that only the log holds; a database deleted or restored
/// from an older backup forgets every id since. The engine continues after the highest of both.
struct AlertLogScan {
    private(set) var highestID: Int64 = 0
    /// Events of lines whose incident is not in the database, in log order.
    private(set) var unrecorded: [AlertEvent] = []
    private(set) var bytesRead: Int64 = 0

    static let chunkSize = 1 << 20

    /// Reads `path` (missing: nothing) and every file in `alsoRead` that exists (a rotated log).
    /// Lines naming ids at or above `unrecordedFrom` are parsed in full.
    static func read(_ paths: [String], format: StorageSettings.AlertLogFormat,
                     unrecordedFrom: Int64) throws -> AlertLogScan {
        var scan = AlertLogScan()
        for path in paths { try scan.read(path, format: format, unrecordedFrom: unrecordedFrom) }
        return scan
    }

    private mutating func read(_ path: String, format: StorageSettings.AlertLogFormat,
                               unrecordedFrom: Int64) throws {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(path, .readOnly)
        } catch {
            if error.isNotFound { return }
            throw error
        }
        defer { file.release() }  // read-only: nothing to lose
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var carry: [UInt8] = []  // the unfinished line at the end of the previous chunk
        var offset: Int64 = 0
        while true {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: offset) }
            if n == 0 { break }
            offset += Int64(n)
            var data = carry
            data.append(contentsOf: buffer[0..<n])
            let complete = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            scanLines(data, upTo: complete, format: format, unrecordedFrom: unrecordedFrom)
            carry = Array(data[complete...])
        }
        // A last line without its newline (torn by a crash) still names its id.
        scanLines(carry + [UInt8(ascii: "\n")], upTo: carry.count + 1, format: format, unrecordedFrom: unrecordedFrom)
        bytesRead += offset
    }

    private mutating func scanLines(_ data: [UInt8], upTo end: Int, format: StorageSettings.AlertLogFormat,
                                    unrecordedFrom: Int64) {
        data.withUnsafeBufferPointer { bytes in
            var start = 0
            var i = 0
            while i < end {
                if bytes[i] == UInt8(ascii: "\n") {
                    let line = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    if let id = AlertLine.incidentID(line, format: format) {
                        if id > highestID { highestID = id }
                        if id >= unrecordedFrom,
                           let event = AlertLine.event(String(decoding: line, as: UTF8.self), format: format) {
                            unrecorded.append(event)
                        }
                    }
                    start = i + 1
                }
                i += 1
            }
        }
    }
}
