import Foundation
import Synchronization
import XCTest

/// A webhook over HTTPS to a receiver whose certificate the daemon trusts: delivered, verified
/// (NotificationTests has the refusal of one it does not trust). libcurl reads the system's CA
/// bundle only, so the daemon runs in a mount namespace of its own (`unshare -m`, root) where that
/// bundle is the receiver's certificate: nothing of the machine's is changed. The receiver is
/// `openssl s_server` in its plain mode, a TLS pipe: the request comes out on its stdout and the
/// answer this test writes to its stdin goes back to the daemon.
final class NotificationTLSTests: EndToEndTestCase {
    private static let bundle = "/etc/ssl/certs/ca-certificates.crt"

    func testAWebhookOverHTTPSToATrustedReceiverIsDelivered() throws {
        let key = directory + "/key.pem"
        let cert = directory + "/cert.pem"
        let made = try runCommand(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        XCTAssertEqual(made.status, 0, made.stderr)
        let probe = try runCommand(
            "/usr/bin/unshare", ["-m", "/bin/sh", "-c", "mount --bind '\(cert)' \(Self.bundle)"])
        guard probe.status == 0, FileManager.default.fileExists(atPath: Self.bundle) else {
            throw XCTSkip("no private mount namespace here (unshare -m needs root): \(probe.stderr)")
        }

        let port = freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-quiet",
        ]
        let toServer = Pipe()
        let fromServer = Pipe()
        server.standardInput = toServer
        server.standardOutput = fromServer
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        let received = Mutex<[UInt8]>([])
        fromServer.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            received.withLock { $0 += data }
        }
        defer { fromServer.fileHandleForReading.readabilityHandler = nil }
        XCTAssertTrue(waitUntil(5) { canConnect(port: port) })

        try writeConfig(
            grace: 1,
            extra: """
                [[notify]]
                name = "tls"
                url = "https://127.0.0.1:\(port)/hook"
                timeout_s = 5
                """)
        let daemon = try ChildProcess(
            name: "fleetwatchd", executable: "/usr/bin/unshare",
            arguments: [
                "-m", "/bin/sh", "-c",
                "mount --bind '\(cert)' \(Self.bundle) && exec '\(Binaries.path("fleetwatchd"))' --config '\(configPath)'",
            ], logPath: directory + "/fleetwatchd.log")
        children.append(daemon)
        self.daemon = daemon
        XCTAssertTrue(waitUntil(15) { daemon.log.contains("broker connected") || !daemon.isRunning }, daemon.log)

        let answer = Mutex<CommandResult?>(nil)
        let asked = DispatchSemaphore(value: 0)
        let arguments = ["notify", "test", "tls", "--config", configPath]
        DispatchQueue.global().async {
            let result = try? runCommand(Binaries.path("fleetwatch"), arguments)
            answer.withLock { $0 = result }
            asked.signal()
        }
        var request = ""
        XCTAssertTrue(
            waitUntil(15) {
                if answer.withLock({ $0 != nil }) { return true }  // answered already: a failure, shown below
                request = String(decoding: received.withLock { $0 }, as: UTF8.self)
                guard let end = request.range(of: "\r\n\r\n") else { return false }
                let length =
                    request.split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                return request[end.upperBound...].utf8.count >= length
            }, "the request through TLS: \(request)")
        if let early = answer.withLock({ $0 }) {
            return XCTFail(
                "notify test answered before the receiver did: \(early.status) \(early.stderr)\n\(daemon.log)")
        }
        toServer.fileHandleForWriting.write(
            Data("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        try toServer.fileHandleForWriting.close()
        XCTAssertEqual(asked.wait(timeout: .now() + 20), .success)
        let result = try XCTUnwrap(answer.withLock { $0 })
        XCTAssertEqual(result.status, 0, "delivered over a verified TLS connection: \(result.stderr)")
        XCTAssertTrue(request.hasPrefix("POST /hook HTTP/1.1\r\n"), request)
        XCTAssertTrue(request.lowercased().contains("content-type: application/json"), request)
        XCTAssertTrue(request.contains(#""event":"TEST""#), request)
    }
}
