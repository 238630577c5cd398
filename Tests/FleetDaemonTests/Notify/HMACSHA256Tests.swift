import XCTest

@testable import FleetDaemon

/// The signature of every signed notification: FIPS 180-4 SHA-256 and RFC 4231 HMAC vectors.
final class HMACSHA256Tests: XCTestCase {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    private func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map {
            let start = text.index(text.startIndex, offsetBy: $0)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16) ?? 0
        }
    }

    func testSHA256MatchesTheStandardsVectors() {
        XCTAssertEqual(
            HMACSHA256.hex(SHA256.digest([])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            HMACSHA256.hex(SHA256.digest(bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            HMACSHA256.hex(SHA256.digest(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            HMACSHA256.hex(SHA256.digest([UInt8](repeating: 0x61, count: 1_000_000))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testHMACMatchesRFC4231() {
        // Test case 1
        XCTAssertEqual(
            HMACSHA256.hex(HMACSHA256.mac(key: [UInt8](repeating: 0x0b, count: 20), message: bytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 2: a key shorter than the block
        XCTAssertEqual(
            HMACSHA256.hex(HMACSHA256.mac(key: bytes("Jefe"), message: bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a key longer than the block is hashed first
        XCTAssertEqual(
            HMACSHA256.hex(
                HMACSHA256.mac(
                    key: [UInt8](repeating: 0xaa, count: 131),
                    message: bytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        XCTAssertEqual(hex("b0344c61"), [0xb0, 0x34, 0x4c, 0x61])
    }

    func testEveryPostCarriesTheSignatureOfExactlyItsBody() throws {
        var channel = NotifyChannelFixtures.webhook
        channel.secretFile = "/unused"
        let sender = ChannelSender(
            channel: channel, secret: bytes("s3cret"), poster: HTTPPoster(), runner: CommandRunner())
        let body = bytes(#"{"id":"fw-1-1"}"#)
        let headers = Dictionary(sender.headers(for: body, extra: [("Idempotency-Key", "fw-1-1")])) { a, _ in a }
        // echo -n '{"id":"fw-1-1"}' | openssl dgst -sha256 -hmac s3cret
        XCTAssertEqual(
            headers["X-Fleetwatch-Signature"],
            "sha256=" + HMACSHA256.hex(HMACSHA256.mac(key: bytes("s3cret"), message: body)))
        XCTAssertEqual(headers["Idempotency-Key"], "fw-1-1")
        XCTAssertEqual(headers["Content-Type"], "application/json")
        let unsigned = ChannelSender(
            channel: NotifyChannelFixtures.webhook, secret: nil, poster: HTTPPoster(),
            runner: CommandRunner())
        XCTAssertNil(Dictionary(unsigned.headers(for: body, extra: [])) { a, _ in a }["X-Fleetwatch-Signature"])
    }

    func testADingTalkRobotIsSignedItsOwnWayInTheURL() {
        var channel = NotifyChannelFixtures.webhook
        channel.format = .dingtalk
        channel.url = "https://oapi.dingtalk.com/robot/send?access_token=T"
        let sender = ChannelSender(
            channel: channel, secret: bytes("SEC1"), poster: HTTPPoster(), runner: CommandRunner())
        let signed = sender.signedAddress(channel.url, at: 1_700_000_000.123)
        let mac = HMACSHA256.mac(key: bytes("SEC1"), message: bytes("1700000000123\nSEC1"))
        let sign = Data(mac).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        XCTAssertEqual(
            signed, "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000123&sign=\(sign)")
        XCTAssertEqual(
            ChannelSender(
                channel: NotifyChannelFixtures.webhook, secret: bytes("x"), poster: HTTPPoster(),
                runner: CommandRunner()
            ).signedAddress("http://h/x", at: 1), "http://h/x")
    }
}
