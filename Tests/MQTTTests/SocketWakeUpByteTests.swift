import Foundation
import Glibc
import XCTest

@testable import MQTT

/// libmosquitto's wake-up byte (`Sources/CReadAhead/read_ahead.c`): a one-byte write of 0 to a
/// Unix-domain socket by the thread that attached the broker's socket is dropped (that thread is
/// awake: it queued the packet itself); every other write, and every other thread's, goes out.
final class SocketWakeUpByteTests: XCTestCase {
    private var broker: [Int32] = [-1, -1]
    private var wake: [Int32] = [-1, -1]

    override func setUpWithError() throws {
        try XCTSkipUnless(SocketReadAhead.isAvailable, "write is not interposed in this process")
        for i in 0..<2 {
            var pair: [Int32] = [-1, -1]
            XCTAssertEqual(
                socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0, String(cString: strerror(errno)))
            XCTAssertEqual(fcntl(pair[1], F_SETFL, fcntl(pair[1], F_GETFL) | O_NONBLOCK), 0)
            if i == 0 { broker = pair } else { wake = pair }
        }
        XCTAssertTrue(SocketReadAhead.attach(broker[0]))
    }

    override func tearDown() {
        SocketReadAhead.detach()
        for fd in broker + wake where fd >= 0 { _ = Glibc.close(fd) }
    }

    private func write(_ bytes: [UInt8], to fd: Int32) -> Int {
        bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    private func arrived(at fd: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 64) }
        return n > 0 ? Array(bytes.prefix(n)) : []
    }

    func testTheAttachedThreadsOwnWakeUpBytesAreDropped() {
        XCTAssertEqual(write([0], to: wake[0]), 1, "libmosquitto is told it was written")
        XCTAssertEqual(write([0], to: wake[0]), 1)
        XCTAssertEqual(arrived(at: wake[1]), [], "nothing to read: pselect does not wake for them")
    }

    func testAnythingElseGoesOut() {
        XCTAssertEqual(write([7], to: wake[0]), 1)
        XCTAssertEqual(write([0, 0], to: wake[0]), 2)
        XCTAssertEqual(arrived(at: wake[1]), [7, 0, 0])
        var pipeEnds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&pipeEnds), 0)
        defer { for fd in pipeEnds { _ = Glibc.close(fd) } }
        XCTAssertEqual(fcntl(pipeEnds[0], F_SETFL, fcntl(pipeEnds[0], F_GETFL) | O_NONBLOCK), 0)
        XCTAssertEqual(write([0], to: pipeEnds[1]), 1)
        XCTAssertEqual(arrived(at: pipeEnds[0]), [0], "not a socket: written")
    }

    func testAnotherThreadsWakeUpByteGoesOut() {
        let fd = wake[0]
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = [UInt8]([0]).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, 1) }
            done.signal()
        }.start()
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(arrived(at: wake[1]), [0], "the engine loop's publish wakes the network thread")
    }

    func testWithNothingAttachedTheByteGoesOut() {
        SocketReadAhead.detach()
        XCTAssertEqual(write([0], to: wake[0]), 1)
        XCTAssertEqual(arrived(at: wake[1]), [0])
    }
}
