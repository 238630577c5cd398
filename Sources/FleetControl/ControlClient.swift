import SystemCalls

/// The CLI's end of the control socket: connect, send one request line, read the reply to the end
/// of the stream. Changing commands go through here: the daemon is the only writer of the database.
public struct ControlClient: Sendable {
    /// Why a request got no reply; each says what to do.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public let path: String
    /// How long to wait for the reply: the daemon answers after committing and announcing.
    public var replyTimeout = 10.0

    public init(path: String) { self.path = path }

    public func send(_ request: ControlRequest) throws(Failure) -> ControlReply {
        let line: String
        do {
            line = try request.encodedLine()
        } catch {
            throw Failure(description: error.description)
        }
        let socket: FileDescriptor
        do {
            socket = try UnixSocketPath.connect(path)
        } catch {
            throw Failure(description: "fleetwatchd is not running or not reachable (\(path): \(error.reason))")
        }
        defer { socket.release() }  // after the reply was read: nothing is left to deliver
        var response: [UInt8] = []
        var sendError: SystemCallError?
        do {
            try socket.setTimeout(.receive, seconds: replyTimeout)
            try socket.writeAll(Array(line.utf8))
        } catch {
            // The daemon may have refused the request before reading all of it (too long): its
            // answer says why, so it is read all the same.
            sendError = error
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            // A timeout or a reset ends the reply as the end of the stream does: what came is judged below.
            let read = { (raw: UnsafeMutableRawBufferPointer) throws(SystemCallError) in try socket.read(into: raw) }
            guard let n = try? buffer.withUnsafeMutableBytes(read), n > 0 else { break }
            response.append(contentsOf: buffer[0..<n])
        }
        guard let reply = ControlReply(bytes: response) else {
            if let sendError {
                throw Failure(description: "could not send the request to fleetwatchd (\(sendError)); try again")
            }
            throw Failure(description: "fleetwatchd gave no answer (it may be stopping; try again)")
        }
        return reply
    }
}
