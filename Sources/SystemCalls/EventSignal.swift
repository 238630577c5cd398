import Glibc

/// A self-pipe: any thread `signal()`s, a `poll` loop that watches `descriptor` wakes and
/// `drain()`s it. Both ends are non-blocking and close-on-exec. (A pipe, not an eventfd:
/// Glibc's Swift module does not export `eventfd`.)
public struct EventSignal: Sendable {
    /// The end to watch for reading.
    public let descriptor: FileDescriptor
    private let writeEnd: FileDescriptor

    public init() throws(SystemCallError) {
        var ends: (Int32, Int32) = (-1, -1)
        try withUnsafeMutableBytes(of: &ends) { (raw) throws(SystemCallError) in
            let fds = raw.baseAddress?.assumingMemoryBound(to: Int32.self)
            try check(pipe(fds), "pipe")
        }
        let (read, write) = (FileDescriptor(rawValue: ends.0), FileDescriptor(rawValue: ends.1))
        do {
            for end in [read, write] {
                try end.setCloseOnExec()
                try end.setNonBlocking()
            }
        } catch {
            read.release()
            write.release()
            throw error
        }
        descriptor = read
        writeEnd = write
    }

    /// Wakes the watcher. A full pipe (EAGAIN) already holds a wake-up: nothing to report.
    public func signal() {
        var one: UInt8 = 1
        _ = Glibc.write(writeEnd.rawValue, &one, 1)
    }

    /// Empties the pipe; EAGAIN means it is empty.
    public func drain() {
        var scratch = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &scratch, { Glibc.read(descriptor.rawValue, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Both ends: nothing buffered in them matters once no one watches.
    public func close() {
        descriptor.release()
        writeEnd.release()
    }
}
