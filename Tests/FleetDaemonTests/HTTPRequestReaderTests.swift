import Testing

@testable import FleetDaemon

/// The request head as it arrives, in pieces or whole, within its limits.
struct HTTPRequestReaderTests {
    private func read(_ chunks: [String]) -> HTTPRequestReader.Outcome {
        var reader = HTTPRequestReader()
        var outcome = HTTPRequestReader.Outcome.needMore
        for chunk in chunks { outcome = reader.append(Array(chunk.utf8)) }
        return outcome
    }

    @Test func aRequestInPiecesIsCompleteOnlyAtItsBlankLine() {
        var reader = HTTPRequestReader()
        #expect(
            reader.append(Array("GET /api/v1/devices?site=tian%73han&state=offline HTTP/1.1\r\nHo".utf8)) == .needMore)
        #expect(reader.append(Array("st: x\r\nAuthorization:  Bearer abc \r\n\r".utf8)) == .needMore)
        guard case .complete(let head) = reader.append(Array("\n".utf8)) else {
            Issue.record("not complete")
            return
        }
        #expect(head.method == "GET")
        #expect(head.path == "/api/v1/devices")
        #expect(head.query == [.init(name: "site", value: "tianshan"), .init(name: "state", value: "offline")])
        #expect(head.field("authorization") == "Bearer abc")
        #expect(head.field("host") == "x")
    }

    @Test func bareLineFeedsAreAcceptedAsRFC9112Allows() {
        guard case .complete(let head) = read(["GET / HTTP/1.0\nAccept: */*\n\n"]) else {
            Issue.record("not complete")
            return
        }
        #expect(head.version == "HTTP/1.0")
        #expect(head.path == "/")
    }

    @Test(arguments: [
        ("GET / HTTP/2.0\r\n\r\n", HTTPStatus.versionNotSupported),
        ("GET /\r\n\r\n", .badRequest),
        ("GET  / HTTP/1.1\r\n\r\n", .badRequest),
        ("G(T / HTTP/1.1\r\n\r\n", .badRequest),
        ("GET http://example.com/ HTTP/1.1\r\n\r\n", .badRequest),
        ("GET /%zz HTTP/1.1\r\n\r\n", .badRequest),
        ("GET /?a=%C3%28 HTTP/1.1\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\nNo colon\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\nBad Name: b\r\n\r\n", .badRequest),
    ])
    func malformedRequestsAreRefusedWithTheirStatus(request: String, status: HTTPStatus) {
        guard case .refused(let got, _) = read([request]) else {
            Issue.record("\(request.debugDescription) was not refused")
            return
        }
        #expect(got == status, "\(request.debugDescription)")
    }

    @Test func aRequestLineOrHeadBeyondTheLimitsIsRefusedBeforeItEnds() {
        let longTarget = "GET /" + String(repeating: "a", count: HTTPRequestReader.maxRequestLineBytes)
        guard case .refused(.uriTooLong, _) = read([longTarget]) else {
            Issue.record("a long request line without its end was not refused")
            return
        }
        let field = "X-Pad: " + String(repeating: "p", count: 1000) + "\r\n"
        let head = "GET / HTTP/1.1\r\n" + String(repeating: field, count: 17)
        guard case .refused(.headerFieldsTooLarge, _) = read([head]) else {
            Issue.record("a head over \(HTTPRequestReader.maxHeadBytes) bytes without its end was not refused")
            return
        }
        let many = "GET / HTTP/1.1\r\n" + String(repeating: "A: b\r\n", count: HTTPRequestReader.maxFields + 1) + "\r\n"
        guard case .refused(.headerFieldsTooLarge, _) = read([many]) else {
            Issue.record("too many fields were not refused")
            return
        }
    }

    @Test func nothingChangesOnceTheHeadIsComplete() {
        var reader = HTTPRequestReader()
        let first = reader.append(Array("GET /healthz HTTP/1.1\r\n\r\nPOST /x HTTP/1.1\r\n\r\n".utf8))
        #expect(reader.append(Array("more body bytes".utf8)) == first)
        guard case .complete(let head) = first else {
            Issue.record("not complete")
            return
        }
        #expect(head.path == "/healthz")
    }

    @Test func queryValuesArePercentAndPlusDecoded() {
        let split = HTTPRequestHead.splitTarget("/?site=%E5%A4%A9+x&flag&=v")
        #expect(split?.path == "/")
        #expect(
            split?.query == [
                .init(name: "site", value: "天 x"), .init(name: "flag", value: ""),
                .init(name: "", value: "v"),
            ])
    }
}
