import Foundation
import Glibc
import XCTest

@testable import MQTT

/// The write-behind of QoS 1 acknowledgements (`Sources/CReadAhead/read_ahead.c`), through the
/// process's own `write` on a socket pair: only whole PUBACKs are held, everything else sends
/// them first (the stream keeps libmosquitto's order), and a detach drops them.
final class SocketWriteBehindTests: XCTestCase {
    private var attached: Int32 = -1
    private var peer: Int32 = -1

    override func setUpWithError() throws {
        try XCTSkipUnless(SocketReadAhead.isAvailable, "write is not interposed in this process")
        var pair: [Int32] = [-1, -1]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0, String(cString: strerror(errno)))
        (attached, peer) = (pair[0], pair[1])
        XCTAssertEqual(fcntl(peer, F_SETFL, fcntl(peer, F_GETFL) | O_NONBLOCK), 0)
        XCTAssertTrue(SocketReadAhead.attach(attached))
    }

    override func tearDown() {
        SocketReadAhead.detach()
        if attached >= 0 { _ = Glibc.close(attached) }
        if peer >= 0 { _ = Glibc.close(peer) }
    }

    private func write(_ bytes: [UInt8], to fd: Int32? = nil) -> Int {
        bytes.withUnsafeBytes { Glibc.write(fd ?? attached, $0.baseAddress, $0.count) }
    }

    /// What the peer can read now ([] when nothing: EAGAIN).
    private func arrived() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(peer, $0.baseAddress, 4096) }
        return n > 0 ? Array(bytes.prefix(n)) : []
    }

    private func puback(_ id: UInt8) -> [UInt8] { [0x40, 0x02, 0x00, id] }

    func testPubacksAreHeldUntilSentTogether() {
        XCTAssertEqual(write(puback(1)), 4, "libmosquitto is told it was written")
        XCTAssertEqual(write(puback(2)), 4)
        XCTAssertEqual(arrived(), [])
        XCTAssertEqual(SocketReadAhead.heldAcknowledgementBytes, 8)
        XCTAssertTrue(SocketReadAhead.sendHeldAcknowledgements())
        XCTAssertEqual(arrived(), puback(1) + puback(2))
        XCTAssertEqual(SocketReadAhead.heldAcknowledgementBytes, 0)
    }

    func testAnyOtherWriteSendsWhatIsHeldFirst() {
        let pingreq: [UInt8] = [0xC0, 0x00]
        let publish: [UInt8] = [0x30, 0x04, 0x00, 0x01, 0x74, 0x78]
        XCTAssertEqual(write(puback(1)), 4)
        XCTAssertEqual(write(pingreq), 2)
        XCTAssertEqual(write(puback(2)), 4)
        XCTAssertEqual(write(publish), 6)
        XCTAssertEqual(arrived(), puback(1) + pingreq + puback(2) + publish, "in the order written")
    }

    func testOtherDescriptorsAndOtherThreadsAreNotHeld() {
        XCTAssertEqual(write(puback(1), to: peer), 4)
        var bytes = [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(bytes.withUnsafeMutableBytes { Glibc.read(attached, $0.baseAddress, 8) }, 4)
        let fd = attached
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = [UInt8]([0x40, 0x02, 0x00, 0x09]).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, 4) }
            done.signal()
        }.start()
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(arrived(), puback(9), "another thread's write went straight out")
    }

    func testADetachDropsWhatIsHeld() {
        XCTAssertEqual(write(puback(1)), 4)
        SocketReadAhead.detach()
        XCTAssertEqual(SocketReadAhead.heldAcknowledgementBytes, 0)
        XCTAssertTrue(SocketReadAhead.sendHeldAcknowledgements())
        XCTAssertEqual(arrived(), [], "nothing of a connection that is gone goes out on its number")
    }
}
