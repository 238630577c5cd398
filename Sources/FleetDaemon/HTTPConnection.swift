import SystemCalls

/// One client connection of the `HTTPServer`, from accept to close: it reads the request head,
/// waits while the answer is made, writes it, then drains what the client still sends for a
/// moment before closing (a close with unread input would send a reset, which can destroy the
/// answer before the client read it). Non-blocking: each call does what the socket allows now.
struct HTTPConnection {
    enum Phase {
        case reading(HTTPRequestReader)
        /// A worker is making the answer.
        case waiting
        case writing
        case lingering
    }

    /// What a call did that the server must act on.
    enum Event {
        case none
        case request(HTTPRequestHead)
        /// The request cannot be served (too large, malformed): answer with this and close.
        case refused(HTTPStatus, String)
        /// Closed by the peer or failed: drop it.
        case closed
    }

    let socket: FileDescriptor
    let id: UInt64
    private(set) var phase = Phase.reading(HTTPRequestReader())
    /// When the current phase times out (monotonic seconds).
    private(set) var deadline: Double
    private var output: [UInt8] = []
    private var written = 0
    private var drained = 0
    private let limits: HTTPLimits

    init(socket: FileDescriptor, id: UInt64, at now: Double, limits: HTTPLimits) {
        self.socket = socket
        self.id = id
        self.limits = limits
        deadline = now + limits.requestSeconds
    }

    var isReading: Bool {
        if case .reading = phase { return true }
        return false
    }

    /// Bytes of the answer not yet written.
    var bufferedOutput: Int { output.count - written }

    var wantsRead: Bool {
        switch phase {
        case .reading, .lingering: true
        case .waiting, .writing: false
        }
    }

    var wantsWrite: Bool {
        if case .writing = phase { return true }
        return false
    }

    /// Whether anything of a request has arrived (a timeout then answers 408, else just closes).
    var hasPartialRequest: Bool {
        if case .reading(let reader) = phase { return !reader.buffer.isEmpty }
        return false
    }

    /// Reads what is there (the poll said readable).
    mutating func readAvailable(scratch: UnsafeMutableRawBufferPointer) -> Event {
        do {
            while true {
                guard let n = try socket.readIfReady(into: scratch) else { return .none }
                if n == 0 { return .closed }
                switch phase {
                case .reading(var reader):
                    phase = .waiting  // the enum lets go of the buffer, so appending does not copy it
                    let outcome = reader.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                    phase = .reading(reader)
                    switch outcome {
                    case .needMore: continue
                    case .complete(let head):
                        phase = .waiting
                        return .request(head)
                    case .refused(let status, let reason):
                        phase = .waiting
                        return .refused(status, reason)
                    }
                case .lingering:
                    drained += n
                    if drained >= limits.lingerBytes { return .closed }
                case .waiting, .writing:
                    return .none
                }
            }
        } catch {
            return .closed
        }
    }

    /// Starts writing `response`; the answer has `writeStallSeconds` to make progress each time.
    mutating func respond(_ response: HTTPResponse, at now: Double) {
        output = response.serialized()
        written = 0
        phase = .writing
        deadline = now + limits.writeStallSeconds
    }

    /// Writes what the socket takes (the poll said writable). After the last byte the sending
    /// side is shut and the connection lingers.
    mutating func writeAvailable(at now: Double) -> Event {
        do {
            while written < output.count {
                let n = try output.withUnsafeBytes { (raw) throws(SystemCallError) in
                    try socket.writeIfReady(UnsafeRawBufferPointer(rebasing: raw[written...]))
                }
                if n == 0 { return .none }
                written += n
                deadline = now + limits.writeStallSeconds
            }
            output = []
            written = 0
            try socket.shutdownWrite()
            phase = .lingering
            deadline = now + limits.lingerSeconds
            return .none
        } catch {
            return .closed
        }
    }

    /// Nothing buffered is worth keeping by the time a connection is closed: its answer was
    /// written (or it is dropped for misbehaving).
    func close() { socket.release() }
}
