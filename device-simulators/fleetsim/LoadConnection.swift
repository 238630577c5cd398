import Foundation
import Glibc
import Synchronization

/// One publishing connection of `fleetsim load`: MQTT 3.1.1 written by hand onto a blocking TCP
/// socket. PUBLISH packets are appended to a buffer and written tens of kilobytes at a time, so a
/// message costs the load generator a fraction of a microsecond and no system call of its own;
/// a blocking `send` is the back-pressure (the broker reads no faster than it can handle, and
/// nothing queues up in this process). libmosquitto's client would write every packet with its
/// own system call and queue QoS 0 packets without bound, which on a two-core machine takes CPU
/// from the very reader being measured.
///
/// A reader thread drains what the broker sends back (CONNACK is read before it starts; then
/// PUBACKs for QoS 1 and PINGRESPs), counting PUBACKs, until the broker closes the connection.
final class LoadConnection: @unchecked Sendable {
    // @unchecked: `fd` is set once in init; `buffer`, `published` and `nextPacketID` are used only
    // by the load loop's thread; the reader thread touches nothing but `progress`, a Mutex.

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private struct Progress {
        var pubacks = 0
        var closed = false
        var error: String?
    }

    let fd: Int32
    let clientID: String
    private(set) var buffer: [UInt8] = []
    /// PUBLISH packets appended so far (written or still in `buffer`).
    private(set) var published = 0
    private var nextPacketID: UInt16 = 0
    private let progress = Mutex(Progress())

    init(
        host: String, port: Int, clientID: String, username: String?, password: String?,
        keepaliveSeconds: UInt16
    ) throws {
        self.clientID = clientID
        fd = try Self.connectSocket(host: host, port: port)
        buffer.reserveCapacity(1 << 17)
        do {
            try sendConnect(username: username, password: password, keepalive: keepaliveSeconds)
            try readConnack()
        } catch {
            close(fd)
            throw error
        }
        let thread = Thread { [self] in readLoop() }
        thread.name = "load-reader-\(clientID)"
        thread.start()
    }

    // MARK: writing

    /// Appends one PUBLISH; `topic` is the topic's bytes, `payload` the message.
    func appendPublish(topic: [UInt8], payload: [UInt8], qos: Int) {
        let remaining = 2 + topic.count + (qos > 0 ? 2 : 0) + payload.count
        buffer.append(qos > 0 ? 0x32 : 0x30)
        Self.appendRemainingLength(&buffer, remaining)
        buffer.append(UInt8(topic.count >> 8))
        buffer.append(UInt8(topic.count & 0xFF))
        buffer.append(contentsOf: topic)
        if qos > 0 {
            nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
            buffer.append(UInt8(nextPacketID >> 8))
            buffer.append(UInt8(nextPacketID & 0xFF))
        }
        buffer.append(contentsOf: payload)
        published += 1
    }

    /// Writes everything buffered; blocks while the broker is not reading.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "\(clientID): send failed: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func appendPing() { buffer.append(contentsOf: [0xC0, 0x00]) }

    // MARK: finishing

    var pubacks: Int { progress.withLock { $0.pubacks } }

    /// Waits until the broker has acknowledged every QoS 1 PUBLISH; false on timeout.
    func waitForAcks(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let (acks, closed) = progress.withLock { ($0.pubacks, $0.closed) }
            if acks >= published { return true }
            if closed { return false }
            usleep(1_000)
        }
        return false
    }

    /// DISCONNECT, then half-close and wait for the broker to close its side: by then it has read
    /// (and routed) everything written before. Returns false if it did not close in time.
    @discardableResult
    func finish(timeout: Double) -> Bool {
        buffer.append(contentsOf: [0xE0, 0x00])
        try? flush()
        shutdown(fd, Int32(SHUT_WR))
        let deadline = Date().addingTimeInterval(timeout)
        var closed = false
        while Date() < deadline {
            closed = progress.withLock { $0.closed }
            if closed { break }
            usleep(1_000)
        }
        // The reader thread owns the descriptor's read side until it sees EOF; after a timeout we
        // shut it down so the thread's read returns, and leave the close to process exit.
        if closed { close(fd) } else { shutdown(fd, Int32(SHUT_RDWR)) }
        return closed
    }

    var readerError: String? { progress.withLock { $0.error } }

    // MARK: protocol details

    private func sendConnect(username: String?, password: String?, keepalive: UInt16) throws {
        var variable: [UInt8] = [0x00, 0x04] + Array("MQTT".utf8) + [0x04]
        var flags: UInt8 = 0x02  // clean session
        if username != nil { flags |= 0x80 }
        if password != nil { flags |= 0x40 }
        variable.append(flags)
        variable.append(UInt8(keepalive >> 8))
        variable.append(UInt8(keepalive & 0xFF))
        var payload: [UInt8] = []
        for field in [clientID, username, password].compactMap({ $0 }) {
            let bytes = Array(field.utf8)
            payload.append(UInt8(bytes.count >> 8))
            payload.append(UInt8(bytes.count & 0xFF))
            payload.append(contentsOf: bytes)
        }
        buffer.append(0x10)
        Self.appendRemainingLength(&buffer, variable.count + payload.count)
        buffer.append(contentsOf: variable)
        buffer.append(contentsOf: payload)
        try flush()
    }

    private func readConnack() throws {
        var reply = [UInt8](repeating: 0, count: 4)
        var got = 0
        while got < 4 {
            let n = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, 4 - got, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "\(clientID): broker closed the connection before CONNACK") }
            got += n
        }
        guard reply[0] == 0x20, reply[1] == 0x02 else {
            throw Failure(description: "\(clientID): expected CONNACK, got \(reply)")
        }
        guard reply[3] == 0 else {
            throw Failure(description: "\(clientID): broker refused the connection (code \(reply[3]))")
        }
    }

    private func readLoop() {
        var data = [UInt8](repeating: 0, count: 1 << 16)
        var kept = 0  // bytes of an incomplete packet at the front of `data`
        while true {
            let n = data.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + kept, $0.count - kept, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let message = n < 0 ? String(cString: strerror(errno)) : nil
                progress.withLock {
                    $0.closed = true
                    $0.error = message
                }
                return
            }
            let end = kept + n
            var i = 0
            var acks = 0
            while i + 2 <= end {
                var length = 0
                var multiplier = 1
                var j = i + 1
                var complete = false
                while j < end && j < i + 5 {
                    let b = data[j]
                    length += Int(b & 0x7F) * multiplier
                    multiplier *= 128
                    j += 1
                    if b & 0x80 == 0 {
                        complete = true
                        break
                    }
                }
                guard complete, j + length <= end else { break }
                if data[i] >> 4 == 4 { acks += 1 }  // PUBACK
                i = j + length
            }
            if i < end {
                data.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + i, end - i)
                }
            }
            kept = end - i
            if acks > 0 { progress.withLock { $0.pubacks += acks } }
        }
    }

    static func appendRemainingLength(_ out: inout [UInt8], _ value: Int) {
        var x = value
        repeat {
            var byte = UInt8(x % 128)
            x /= 128
            if x > 0 { byte |= 0x80 }
            out.append(byte)
        } while x > 0
    }

    private static func connectSocket(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let info = result else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot connect to \(host):\(port): \(reason)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }
}
