import Foundation
import Logging
import Synchronization
import SystemCalls
import Testing

@testable import FleetDaemon

/// The HTTP server under abuse (issue 11 item 9): idle and slow clients, floods, oversized
/// requests and slow readers never keep `/healthz` from answering at once.
@Suite(.serialized)
struct HTTPServerTests {
    enum Work: Sendable {
        case slow
        case big
    }

    /// `/healthz` from memory; `/slow` waits for the test's release; `/big` is 8 MiB.
    struct TestApplication: HTTPApplication {
        let release: DispatchSemaphore
        static let bigBody = [UInt8](repeating: UInt8(ascii: "x"), count: 8 << 20)

        func triage(_ request: HTTPRequestHead, server: HTTPServerStats) -> HTTPTriage<Work> {
            switch request.path {
            case "/healthz": .answer(.text(.ok, "ok\n"))
            case "/slow": .work(.slow)
            case "/big": .work(.big)
            case "/stats": .answer(.text(.ok, "evicted=\(server.evicted) open=\(server.openConnections)\n"))
            default: .answer(.text(.methodNotAllowed, "no\n"))
            }
        }

        func makeWorker() -> TestWorker { TestWorker(release: release) }
    }

    struct TestWorker: HTTPWorker {
        let release: DispatchSemaphore
        mutating func perform(_ work: Work) -> HTTPResponse {
            switch work {
            case .slow:
                release.wait()
                return .text(.ok, "slow done\n")
            case .big:
                return HTTPResponse(.ok, contentType: "text/plain", body: TestApplication.bigBody)
            }
        }
    }

    /// A started server on a free port, stopped (and its thread joined) at the end of `body`.
    func withServer(
        _ limits: HTTPLimits = HTTPLimits(), release: DispatchSemaphore = DispatchSemaphore(value: 0),
        _ body: (Int) throws -> Void
    ) throws {
        guard let address = IPv4SocketAddress(host: "127.0.0.1", port: 0) else { throw HarnessFailure("address") }
        let server = HTTPServer(
            address: address, application: TestApplication(release: release), limits: limits,
            logger: Logger(label: "http-test"))
        try server.start()
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            server.run()
            finished.signal()
        }
        thread.start()
        defer {
            server.stop()
            for _ in 0..<limits.workers { release.signal() }
            #expect(finished.wait(timeout: .now() + 5) == .success, "run() returned after stop()")
        }
        guard let port = server.port else { throw HarnessFailure("no port") }
        try body(port)
    }

    struct HarnessFailure: Error {
        let what: String
        init(_ what: String) { self.what = what }
    }

    func get(_ path: String, port: Int) -> (status: Int, body: String)? {
        guard let client = HTTPTestClient(port: port) else { return nil }
        defer { client.close() }
        client.send("GET \(path) HTTP/1.1\r\nHost: test\r\n\r\n")
        return client.response()
    }

    func timed<T>(_ body: () -> T) -> (T, Double) {
        let start = SystemClock.monotonicSeconds()
        let result = body()
        return (result, SystemClock.monotonicSeconds() - start)
    }

    @Test func healthzAnswersAtOnceWith200IdleConnectionsOpen() throws {
        try withServer { port in
            let idle = (0..<200).compactMap { _ in HTTPTestClient(port: port) }
            defer { for client in idle { client.close() } }
            #expect(idle.count == 200)
            for _ in 0..<5 {
                let (answer, seconds) = timed { get("/healthz", port: port) }
                #expect(answer?.status == 200)
                #expect(seconds < 0.5, "took \(seconds) s")
            }
        }
    }

    @Test func aFullServerDropsItsOldestIdleClientForANewOne() throws {
        var limits = HTTPLimits()
        limits.maxConnections = 8
        try withServer(limits) { port in
            let idle = (0..<8).compactMap { _ in HTTPTestClient(port: port) }
            defer { for client in idle { client.close() } }
            Thread.sleep(forTimeInterval: 0.1)  // all eight accepted
            let (answer, seconds) = timed { get("/healthz", port: port) }
            #expect(answer?.status == 200)
            #expect(seconds < 0.5)
            #expect(idle[0].isClosedByServer(), "the oldest idle connection made room")
            #expect(get("/stats", port: port)?.body.hasPrefix("evicted=1 ") == true, "one, for the first probe")
        }
    }

    @Test func aRequestNotSentInTimeIsAnswered408AndSilenceIsClosed() throws {
        var limits = HTTPLimits()
        limits.requestSeconds = 0.3
        try withServer(limits) { port in
            guard let partial = HTTPTestClient(port: port), let silent = HTTPTestClient(port: port) else {
                throw HarnessFailure("connect")
            }
            defer {
                partial.close()
                silent.close()
            }
            partial.send("GET /healthz HTTP/1.1\r\nHost: slo")
            let (answer, seconds) = timed { partial.response() }
            #expect(answer?.status == 408)
            #expect(seconds < 2)
            #expect(silent.readToEnd() == [], "closed without an answer")
        }
    }

    @Test func oversizedRequestsAreRefusedWithoutReadingThemToTheEnd() throws {
        try withServer { port in
            guard let client = HTTPTestClient(port: port) else { throw HarnessFailure("connect") }
            defer { client.close() }
            client.send("GET /healthz HTTP/1.1\r\n" + String(repeating: "X-Pad: 0123456789abcdef\r\n", count: 800))
            #expect(client.response()?.status == 431)
            #expect(get("/healthz", port: port)?.status == 200)
        }
    }

    @Test func aRequestWithABodyGetsItsAnswerNotAReset() throws {
        try withServer { port in
            guard let client = HTTPTestClient(port: port) else { throw HarnessFailure("connect") }
            defer { client.close() }
            let body = String(repeating: "b", count: 40_000)
            client.send("POST /things HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            #expect(client.response()?.status == 405, "the answer survives the unread body")
        }
    }

    @Test func workBeyondTheQueueIsBusyWhileHealthzStillAnswers() throws {
        var limits = HTTPLimits()
        limits.workers = 1
        limits.queuedWork = 1
        let release = DispatchSemaphore(value: 0)
        try withServer(limits, release: release) { port in
            let waiting = (0..<2).compactMap { _ in HTTPTestClient(port: port) }
            defer { for client in waiting { client.close() } }
            for client in waiting {  // one working, then one queued
                client.send("GET /slow HTTP/1.1\r\n\r\n")
                Thread.sleep(forTimeInterval: 0.2)
            }
            #expect(get("/slow", port: port)?.status == 503)
            let (answer, seconds) = timed { get("/healthz", port: port) }
            #expect(answer?.status == 200)
            #expect(seconds < 0.5)
            release.signal()
            release.signal()
            for client in waiting { #expect(client.response()?.body == "slow done\n") }
        }
    }

    @Test func aLargeAnswerReachesASlowReaderWhileOthersAreServed() throws {
        try withServer { port in
            guard let reader = HTTPTestClient(port: port) else { throw HarnessFailure("connect") }
            defer { reader.close() }
            reader.send("GET /big HTTP/1.1\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.3)  // the answer waits in the socket: the client reads later
            #expect(get("/healthz", port: port)?.status == 200)
            let bytes = reader.readToEnd()
            #expect((bytes?.count ?? 0) > TestApplication.bigBody.count)
        }
    }

    @Test func aClientThatStopsReadingIsDropped() throws {
        var limits = HTTPLimits()
        limits.writeStallSeconds = 0.3
        try withServer(limits) { port in
            guard let stalled = HTTPTestClient(port: port) else { throw HarnessFailure("connect") }
            defer { stalled.close() }
            stalled.send("GET /big HTTP/1.1\r\n\r\n")
            #expect(
                waitFor(3) { get("/stats", port: port)?.body.hasSuffix("open=1\n") == true },
                "only the probe itself is open once the stalled reader is dropped")
            #expect(get("/healthz", port: port)?.status == 200)
        }
    }

    func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = SystemClock.monotonicSeconds() + seconds
        while SystemClock.monotonicSeconds() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }
}
