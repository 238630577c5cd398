import Foundation
import SystemCalls

/// Reads an append-only log the way `tail -F` does, by polling: the last lines first, then every new
/// complete line, across logrotate.
///
/// - `create`: the path now names another file (new inode). The old file is read to its end, then
///   the new one from its start. The old file stays open and is drained on every poll until the new
///   one receives data: a single writer that writes there has reopened, so nothing more can arrive
///   in the old one (this catches lines written between the rename and the writer's reopen).
/// - `copytruncate`: the file got shorter than what was read; reading restarts at 0. Lines written
///   between logrotate's copy and its truncate are in the copy, not here (logrotate's own caveat).
/// - A missing file is waited for; when it appears it is read from its start.
///
/// Lines are bytes up to `\n` (a `\r` before it is dropped), decoded as UTF-8 with replacement; an
/// unfinished last line is held back until its newline arrives.
final class LogFollower {
    struct OpenError: Error, CustomStringConvertible {
        let path: String
        let error: SystemCallError
        var description: String { "cannot read \(path): \(error.reason)" }
    }

    /// One open file: where the next read starts and the start of an unfinished line.
    private struct Source {
        let fd: FileDescriptor
        let device: UInt64
        let inode: UInt64
        var offset: Int64
        var partial: [UInt8] = []
    }

    let path: String
    private var current: Source?
    /// The file the path named before a `create` rotation, read until the writer moves over.
    private var retired: Source?
    private static let chunkSize = 64 * 1024

    init(path: String) {
        self.path = path
    }

    deinit {
        if let current { Self.close(current) }
        if let retired { Self.close(retired) }
    }

    /// Opens the log. Returns false if it does not exist; throws if it exists but cannot be read.
    func open() throws -> Bool {
        guard let source = try Self.openSource(path) else { return false }
        current = source
        return true
    }

    /// The last `count` lines for which `include` holds, oldest first, read backwards from the end so
    /// a long log costs only what is printed. Following continues after the last complete line; an
    /// unfinished last line is returned only if `includingPartial` (and then not followed again).
    func lastLines(_ count: Int, includingPartial: Bool, where include: (String) -> Bool) -> [String] {
        guard var source = current else { return [] }
        var lines: [String] = []  // newest first
        var completeEnd: Int64?  // just past the last newline, once seen
        Self.forEachSegmentBackwards(source.fd, from: Self.size(of: source.fd)) { bytes, start in
            if completeEnd == nil {
                // The bytes after the last newline: an unfinished line, usually empty.
                completeEnd = start
                if includingPartial && !bytes.isEmpty && count > 0 { Self.keep(bytes, in: &lines, if: include) }
            } else {
                Self.keep(bytes, in: &lines, if: include)
            }
            return lines.count < count
        }
        source.offset = completeEnd ?? 0
        current = source
        return lines.reversed()
    }

    /// Every complete line appended since the last call, in file order, following rotation.
    func poll() -> [String] {
        var lines: [String] = []
        if var old = retired {
            // Seen before the drain: if the new file has data, the writer has left the old one.
            let writerMoved = current.map { Self.size(of: $0.fd) > 0 } ?? false
            lines += Self.drain(&old)
            if writerMoved {
                Self.close(old)
                retired = nil
            } else {
                retired = old
            }
        }
        if var source = current {
            if Self.size(of: source.fd) < source.offset {  // copytruncate
                source.offset = 0
                source.partial = []
            }
            lines += Self.drain(&source)
            current = source
        }
        if let replacement = try? Self.openSource(path) {
            if let source = current, source.device == replacement.device, source.inode == replacement.inode {
                Self.close(replacement)
            } else {
                // `create` rotation, or the log appeared: the old file was just read to its end.
                if let old = retired { Self.close(old) }
                retired = current
                var fresh = replacement
                lines += Self.drain(&fresh)
                current = fresh
            }
        }
        return lines
    }

    // MARK: - File access

    /// nil if the path does not exist.
    private static func openSource(_ path: String) throws -> Source? {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, .readOnly)
        } catch {
            if error.isNotFound { return nil }
            throw OpenError(path: path, error: error)
        }
        do {
            let status = try fd.status()
            return Source(fd: fd, device: status.device, inode: status.inode, offset: 0)
        } catch {
            fd.release()  // read-only: nothing to flush; the fstat error is the one to report
            throw OpenError(path: path, error: error)
        }
    }

    /// A read-only descriptor: a failing close loses nothing.
    private static func close(_ source: Source) { source.fd.release() }

    /// The file's size; 0 if it cannot be read (then nothing more is read from it either).
    private static func size(of fd: FileDescriptor) -> Int64 {
        (try? fd.status().size) ?? 0
    }

    /// Up to `length` bytes at `offset`; fewer at the end of the file or on a read error.
    private static func read(_ fd: FileDescriptor, at offset: Int64, length: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                let rest = UnsafeMutableRawBufferPointer(rebasing: raw[filled...])
                return (try? fd.read(into: rest, at: offset + Int64(filled))) ?? 0
            }
            if n <= 0 { break }
            filled += n
        }
        buffer.removeSubrange(filled...)
        return buffer
    }

    /// Reads `source` to its current end and returns the lines completed by what was read.
    private static func drain(_ source: inout Source) -> [String] {
        var lines: [String] = []
        while true {
            let chunk = read(source.fd, at: source.offset, length: chunkSize)
            if chunk.isEmpty { break }
            source.offset += Int64(chunk.count)
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if source.partial.isEmpty {
                    lines.append(decode(chunk[start..<newline]))
                } else {
                    source.partial += chunk[start..<newline]
                    lines.append(decode(source.partial[...]))
                    source.partial = []
                }
                start = newline + 1
            }
            source.partial += chunk[start...]
            if chunk.count < chunkSize { break }
        }
        return lines
    }

    private static func keep(_ bytes: ArraySlice<UInt8>, in lines: inout [String], if include: (String) -> Bool) {
        let line = decode(bytes)
        if include(line) { lines.append(line) }
    }

    /// Calls `body` with each newline-separated segment of the file before `end`, last first, with
    /// its start offset (the first call gets what follows the last newline), until it returns false.
    private static func forEachSegmentBackwards(
        _ fd: FileDescriptor, from end: Int64,
        _ body: (ArraySlice<UInt8>, Int64) -> Bool
    ) {
        var position = end
        var carry: [UInt8] = []  // the bytes from `position` up to the segment being assembled
        while position > 0 {
            let length = Int(min(Int64(chunkSize), position))
            position -= Int64(length)
            let chunk = read(fd, at: position, length: length)
            guard chunk.count == length else { return }  // the file shrank under us
            var data = chunk + carry
            var segmentEnd = data.count
            while let newline = data[..<segmentEnd].lastIndex(of: UInt8(ascii: "\n")) {
                guard body(data[(newline + 1)..<segmentEnd], position + Int64(newline) + 1) else { return }
                segmentEnd = newline
            }
            data.removeSubrange(segmentEnd...)
            carry = data
        }
        _ = body(carry[...], 0)
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
