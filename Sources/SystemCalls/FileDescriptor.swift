import Glibc

/// An open file or socket. A plain value: whoever opened it closes it (`close()`), once.
public struct FileDescriptor: Sendable, Hashable {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let standardOutput = FileDescriptor(rawValue: STDOUT_FILENO)

    public enum Access: Sendable {
        case readOnly
        /// Write-only, appending, created with `mode` if missing (a log). A symbolic link at the
        /// path is refused (`O_NOFOLLOW`, ELOOP): a log is never written through a link someone
        /// planted where it should be.
        case appendCreating(mode: mode_t)
        /// A new, empty file with exactly `mode` (whatever the umask would add); EEXIST if
        /// anything, a link included, is at the path already.
        case createNew(mode: mode_t)
    }

    /// Opens `path` (close-on-exec).
    public static func open(_ path: String, _ access: Access) throws(SystemCallError) -> FileDescriptor {
        let fd = try retryingInterrupts("open \(path)") {
            switch access {
            case .readOnly: Glibc.open(path, O_RDONLY | O_CLOEXEC)
            case .appendCreating(let mode):
                Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode)
            case .createNew(let mode):
                Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            }
        }
        if case .createNew(let mode) = access {
            // The umask may have taken bits away; the mode asked for is the one it gets.
            do {
                try check(fchmod(fd, mode), "fchmod \(path)")
            } catch {
                _ = Glibc.close(fd)  // nothing was written; the fchmod error is the one to report
                throw error
            }
        }
        return FileDescriptor(rawValue: fd)
    }

    /// Cuts the file back to `size` bytes (a line that was only partly written).
    public func truncate(to size: Int64) throws(SystemCallError) {
        try retryingInterrupts("ftruncate") { ftruncate(rawValue, off_t(size)) }
    }

    /// Flushes the file's data to the device.
    public func synchronize() throws(SystemCallError) {
        try retryingInterrupts("fsync") { fsync(rawValue) }
    }

    /// Closes the descriptor. It is gone afterwards whatever the result (Linux frees it even when
    /// `close` reports an error, so it is never retried).
    public func close() throws(SystemCallError) {
        try check(Glibc.close(rawValue), "close")
    }

    /// Closes a descriptor that has nothing left to deliver: a socket after its reply (or a probe
    /// that sent nothing), a file that was only read. Linux frees the descriptor even when `close`
    /// fails, and no data can be lost by then, so there is no error worth reporting; a descriptor
    /// that was written to and whose close may report a deferred write error uses `close()`.
    public func release() {
        _ = Glibc.close(rawValue)
    }

    /// Writes all of `bytes`, continuing after a partial write or EINTR.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let n = try retryingInterrupts("write") {
                Glibc.write(rawValue, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            offset += n
        }
    }

    public func writeAll(_ bytes: [UInt8]) throws(SystemCallError) {
        let failure = bytes.withUnsafeBytes { raw -> SystemCallError? in
            do throws(SystemCallError) {
                try writeAll(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Reads what is there, up to `buffer.count` bytes; 0 at the end of the stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
        try retryingInterrupts("read") { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads at `offset` without moving the file position; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemCallError) -> Int {
        try retryingInterrupts("pread") { Glibc.pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// What `fstat` says about the open file.
    public struct Status: Sendable, Equatable {
        public let device: UInt64
        public let inode: UInt64
        public let size: Int64
        /// The permission bits (`0o640`).
        public let permissions: UInt32

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            permissions = UInt32(info.st_mode) & 0o7777
        }
    }

    public func status() throws(SystemCallError) -> Status {
        var info = stat()
        try check(fstat(rawValue, &info), "fstat")
        return Status(info)
    }

    /// Whether this is a terminal (colour only there).
    public var isTerminal: Bool { isatty(rawValue) == 1 }
}
