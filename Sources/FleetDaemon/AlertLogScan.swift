import FleetCore
import SystemCalls

/// What the alert log says about incident ids, read at start: the highest id any line names, the
/// lines of incidents the database does not know (ids at or above its next id), and the time of
/// the newest line.
///
/// Incident ids are never reused (SPEC §8), and the log can know ids the database does not: a
/// storage-failure line is written before its commit (the commit is what fails), so a crash
/// during a storage failure leaves an id that only the log holds; a database deleted or restored
/// from an older backup forgets every id since. The engine continues after the highest of both.
struct AlertLogScan {
    private(set) var highestID: Int64 = 0
    /// Events of storage-failure lines whose incident is not in the database, in log order.
    private(set) var unrecorded: [AlertEvent] = []
    /// The time of the last line read (nil when there was none that reads as an event).
    private(set) var newestTime: Double?
    private(set) var bytesRead: Int64 = 0

    static let chunkSize = 1 << 20

    /// Reads each of `paths` that exists (a missing one says nothing): all of it, or only its
    /// last `tailBytes` (the first line there possibly cut, and then not counted). Lines naming
    /// ids at or above `unrecordedFrom` are parsed in full.
    static func read(
        _ paths: [String], format: StorageSettings.AlertLogFormat, unrecordedFrom: Int64,
        tailBytes: Int64? = nil
    ) throws -> AlertLogScan {
        var scan = AlertLogScan()
        for path in paths { try scan.read(path, format: format, unrecordedFrom: unrecordedFrom, tailBytes: tailBytes) }
        return scan
    }

    private mutating func read(
        _ path: String, format: StorageSettings.AlertLogFormat, unrecordedFrom: Int64,
        tailBytes: Int64?
    ) throws {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(path, .readOnly)
        } catch {
            if error.isNotFound { return }
            throw error
        }
        defer { file.release() }  // read-only: nothing to lose
        let size = try file.status().size
        var offset = max(0, size - (tailBytes ?? size))
        var skipFirst = offset > 0  // it starts in the middle of a line
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var carry: [UInt8] = []  // the unfinished line at the end of the previous chunk
        var last: ArraySlice<UInt8> = []
        while true {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: offset) }
            if n == 0 { break }
            offset += Int64(n)
            bytesRead += Int64(n)
            var data = carry
            data.append(contentsOf: buffer[0..<n])
            guard let newline = data.lastIndex(of: UInt8(ascii: "\n")) else {
                carry = data
                continue
            }
            var start = 0
            if skipFirst, let first = data.firstIndex(of: UInt8(ascii: "\n")) {
                start = first + 1
                skipFirst = false
            }
            if start <= newline {
                scanLines(data, start..<newline + 1, format: format, unrecordedFrom: unrecordedFrom)
                let previous = data[..<newline].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? start
                last = data[max(previous, start)..<newline]
            }
            carry = Array(data[(newline + 1)...])
        }
        // A last line without its newline (torn by a crash) still names its id.
        if !carry.isEmpty && !skipFirst {
            scanLines(carry + [UInt8(ascii: "\n")], 0..<carry.count + 1, format: format, unrecordedFrom: unrecordedFrom)
        }
        if !last.isEmpty, let event = AlertLine.event(String(decoding: last, as: UTF8.self), format: format) {
            newestTime = max(newestTime ?? event.time, event.time)
        }
    }

    private static let storageFailure = Array(RuleID.storageFailure.rawValue.utf8)

    private static func contains(_ line: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard line.count >= needle.count, let first = needle.first else { return false }
        var i = 0
        while i <= line.count - needle.count {
            if line[i] == first && needle.indices.allSatisfy({ line[i + $0] == needle[$0] }) { return true }
            i += 1
        }
        return false
    }

    /// The lines in `range` of `data`, each ending with a newline.
    private mutating func scanLines(
        _ data: [UInt8], _ range: Range<Int>, format: StorageSettings.AlertLogFormat,
        unrecordedFrom: Int64
    ) {
        data.withUnsafeBufferPointer { bytes in
            var start = range.lowerBound
            while start < range.upperBound,
                let end = UnsafeBufferPointer(rebasing: bytes[start..<range.upperBound])
                    .firstIndex(of: UInt8(ascii: "\n"))
            {
                let lineEnd = start + end
                let line = UnsafeBufferPointer(rebasing: bytes[start..<lineEnd])
                if let id = AlertLine.incidentID(line, format: format) {
                    if id > highestID { highestID = id }
                    // Only storage-failure lines are ever written before their commit: others are
                    // not parsed (a database restored from an old backup leaves many above it).
                    if id >= unrecordedFrom, Self.contains(line, Self.storageFailure),
                        let event = AlertLine.event(String(decoding: line, as: UTF8.self), format: format)
                    {
                        unrecorded.append(event)
                    }
                }
                start = lineEnd + 1
            }
        }
    }
}
