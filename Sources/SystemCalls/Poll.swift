import Glibc

/// `poll(2)` over a set of descriptors: which of them can be read or written now.
public struct PollSet {
    private var entries: [pollfd] = []

    public init() {}

    public struct Readiness: Sendable, Equatable {
        /// Readable, or the end of the stream, or an error to read (a read says which).
        public var readable: Bool
        public var writable: Bool
        /// Hung up or failed (POLLHUP, POLLERR, POLLNVAL): the descriptor is done.
        public var failed: Bool
    }

    public var count: Int { entries.count }

    public mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    /// Adds a descriptor; its position is the index `readiness(at:)` takes.
    public mutating func add(_ descriptor: FileDescriptor, read: Bool, write: Bool) {
        var events: Int16 = 0
        if read { events |= Int16(POLLIN) }
        if write { events |= Int16(POLLOUT) }
        entries.append(pollfd(fd: descriptor.rawValue, events: events, revents: 0))
    }

    /// Waits until one is ready or `milliseconds` pass (-1: no limit); the number ready.
    /// EINTR is a return with nothing ready, so the caller looks at its clock again.
    @discardableResult
    public mutating func wait(milliseconds: Int32) throws(SystemCallError) -> Int {
        let n = entries.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), milliseconds) }
        if n >= 0 { return Int(n) }
        let code = errno
        if code == EINTR { return 0 }
        throw SystemCallError("poll", errno: code)
    }

    public func readiness(at index: Int) -> Readiness {
        let r = Int32(entries[index].revents)
        return Readiness(
            readable: r & Int32(POLLIN) != 0, writable: r & Int32(POLLOUT) != 0,
            failed: r & (Int32(POLLHUP) | Int32(POLLERR) | Int32(POLLNVAL)) != 0)
    }
}
