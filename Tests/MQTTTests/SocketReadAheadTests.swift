import Foundation
import Glibc
import Synchronization
import XCTest

@testable import MQTT

/// The read-ahead under libmosquitto (`Sources/CReadAhead/read_ahead.c`), through the process's
/// own `read` on a socket pair: order, what the kernel still says (EAGAIN, end of stream), and
/// that nothing buffered reaches another thread or outlives a detach.
final class SocketReadAheadTests: XCTestCase {
    struct HarnessError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// What one `read` returned: bytes, or the errno of a failure.
    enum Outcome: Equatable, Sendable {
        case bytes(String)
        case failed(Int32)
    }

    private var reader: Int32 = -1
    private var writer: Int32 = -1

    override func setUpWithError() throws {
        // This test process is an executable linked with the module, as fleetwatchd is.
        guard SocketReadAhead.isAvailable else { throw HarnessError("read is not interposed in this process") }
        var pair: [Int32] = [-1, -1]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0, String(cString: strerror(errno)))
        (reader, writer) = (pair[0], pair[1])
        XCTAssertEqual(fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) | O_NONBLOCK), 0)
    }

    override func tearDown() {
        SocketReadAhead.detach()
        if reader >= 0 { _ = Glibc.close(reader) }
        if writer >= 0 { _ = Glibc.close(writer) }
    }

    private func send(_ text: String) {
        XCTAssertEqual(
            text.utf8.count, Array(text.utf8).withUnsafeBytes { Glibc.write(writer, $0.baseAddress, $0.count) })
    }

    /// One `read` of up to `count` bytes.
    private func receive(_ count: Int) -> Outcome { Self.receive(count, from: reader) }

    private static func receive(_ count: Int, from fd: Int32) -> Outcome {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
        guard n >= 0 else { return .failed(errno) }
        return .bytes(String(decoding: bytes.prefix(n), as: UTF8.self))
    }

    func testBytesComeOutInOrderAndTheSocketsOwnAnswersOnlyOnceTheBufferIsEmpty() {
        XCTAssertTrue(SocketReadAhead.attach(reader))
        send("abcdefgh")
        XCTAssertEqual(receive(1), .bytes("a"))
        XCTAssertEqual(SocketReadAhead.pending, 7, "one system call took all eight bytes")
        XCTAssertEqual(receive(3), .bytes("bcd"))
        send("ij")
        XCTAssertEqual(receive(10), .bytes("efgh"), "the buffer first, never mixed with what came later")
        XCTAssertEqual(SocketReadAhead.pending, 0)
        XCTAssertEqual(receive(10), .bytes("ij"))
        XCTAssertEqual(receive(10), .failed(EAGAIN), "empty buffer, empty socket: the kernel's EAGAIN")
        send("k")
        _ = Glibc.close(writer)
        writer = -1
        XCTAssertEqual(receive(1), .bytes("k"))
        XCTAssertEqual(receive(1), .bytes(""), "end of stream after the last byte")
    }

    func testAnotherThreadReadingTheSameDescriptorReadsTheSocketItself() {
        XCTAssertTrue(SocketReadAhead.attach(reader))
        send("xy")
        XCTAssertEqual(receive(1), .bytes("x"))  // "y" is in this thread's buffer now
        let elsewhere = Mutex<Outcome?>(nil)
        let done = expectation(description: "the other thread read")
        let fd = reader
        Thread {
            elsewhere.withLock { $0 = Self.receive(1, from: fd) }
            done.fulfill()
        }.start()
        wait(for: [done], timeout: 5)
        XCTAssertEqual(
            elsewhere.withLock { $0 }, .failed(EAGAIN), "the other thread is not served from this one's buffer")
        XCTAssertEqual(receive(1), .bytes("y"))
    }

    func testDetachingDropsWhatWasBufferedAndReadsGoStraightToTheSocket() {
        XCTAssertTrue(SocketReadAhead.attach(reader))
        send("abc")
        XCTAssertEqual(receive(1), .bytes("a"))
        SocketReadAhead.detach()
        XCTAssertEqual(SocketReadAhead.pending, 0)
        XCTAssertEqual(receive(5), .failed(EAGAIN), "b and c belonged to the detached connection")
        send("de")
        XCTAssertEqual(receive(1), .bytes("d"))
        XCTAssertEqual(receive(1), .bytes("e"), "unbuffered: the socket still held it")
    }

    func testAttachingTheAttachedSocketAgainKeepsItsBytes() {
        XCTAssertTrue(SocketReadAhead.attach(reader))
        send("abc")
        XCTAssertEqual(receive(1), .bytes("a"))
        XCTAssertTrue(SocketReadAhead.attach(reader))  // a second CONNACK on one connection
        XCTAssertEqual(receive(10), .bytes("bc"), "the stream goes on where it was")
    }

    func testAttachingAnotherSocketDropsTheEarlierOnesBytes() throws {
        XCTAssertTrue(SocketReadAhead.attach(reader))
        send("old")
        XCTAssertEqual(receive(1), .bytes("o"))
        var pair: [Int32] = [-1, -1]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
        defer { pair.forEach { _ = Glibc.close($0) } }
        XCTAssertTrue(SocketReadAhead.attach(pair[0]))
        XCTAssertEqual(SocketReadAhead.pending, 0, "what was read ahead of the first socket is gone")
        XCTAssertEqual(Array("new".utf8).withUnsafeBytes { Glibc.write(pair[1], $0.baseAddress, 3) }, 3)
        XCTAssertEqual(Self.receive(10, from: pair[0]), .bytes("new"))
    }

    func testAReadOfNothingIsTheSocketsOwn() {
        XCTAssertTrue(SocketReadAhead.attach(reader))
        XCTAssertEqual(receive(0), .bytes(""), "not a refill that says EAGAIN")
        XCTAssertEqual(SocketReadAhead.pending, 0)
    }
}
