import Foundation
import XCTest

@testable import FleetCore

/// Malformed payloads that once hung or misled the decoder (each found and fixed in round 1; the
/// comments describe the code as it was).
extension HeartbeatDecoderTests {
    /// JSONScanner.swift `readRawString`: a backslash as the very last byte hits
    /// `guard index + 1 < bytes.count else { break }`, which leaves the `switch`, not the loop,
    /// without advancing `index`: the engine loop spins forever on one malformed MQTT payload.
    func testAPayloadEndingInABackslashIsRejectedInsteadOfHangingTheDecoder() {
        // One payload only: each hung thread keeps a core busy until the test process exits.
        // `{"\` and `{"x":["\` hang the same way.
        let payloads = [#"{"fw":"\"#]
        let outcomes = Self.decodeWithTimeout(payloads.map { Array($0.utf8) }, seconds: 0.5)
        for (payload, outcome) in zip(payloads, outcomes) {
            switch outcome {
            case nil: XCTFail("decoding \(payload) did not return within 0.5 s (infinite loop)")
            case .success(let beat)?: XCTFail("\(payload) decoded as \(beat)")
            case .failure(let rejection)?: XCTAssertEqual(rejection.reason, .badJSON, payload)
            }
        }
    }

    /// Decodes each payload on its own thread so that a hang fails this test instead of the whole
    /// suite; nil for those not done by the deadline (a hung thread spins until the process exits).
    private static func decodeWithTimeout(_ payloads: [[UInt8]], seconds: Double) -> [Result<Heartbeat, Rejection>?] {
        final class Box: @unchecked Sendable {  // each slot written once, under the lock
            let lock = NSLock()
            var results: [Result<Heartbeat, Rejection>?]
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        let box = Box(payloads.count)
        let done = DispatchSemaphore(value: 0)
        for (i, bytes) in payloads.enumerated() {
            Thread.detachNewThread {
                let result = HeartbeatDecoder().decode(bytes)
                box.lock.withLock { box.results[i] = result }
                done.signal()
            }
        }
        let deadline = DispatchTime.now() + seconds
        for _ in payloads where done.wait(timeout: deadline) == .timedOut { break }
        return box.lock.withLock { box.results }
    }

    /// HeartbeatDecoder.swift `readNumber` / `readString` / `readErrors`: the type check looks only
    /// at the first byte, so a syntax error where a known field's value should be is counted as
    /// `bad_field` instead of `bad_json` (the same text under an unknown key is `bad_json`).
    func testSyntaxErrorsInsideKnownFieldsAreBadJSONNotBadField() {
        for payload in [
            #"{"seq":}"#, #"{"health":]}"#, #"{"errors":["a",]}"#, #"{"ts":,"seq":1}"#,
            #"{"interval_s":}"#, #"{"fw":}"#,
        ] {
            guard case .failure(let rejection) = HeartbeatDecoder().decode(Array(payload.utf8)) else {
                XCTFail("accepted \(payload)")
                continue
            }
            XCTAssertEqual(rejection.reason, .badJSON, "\(payload): \(rejection.detail)")
        }
    }

    /// JSONScanner.swift `rawEquals` refuses any key with an escape, so `"se\u0071"` — the same
    /// JSON string as `"seq"` — is skipped as an unknown field and its invalid value accepted.
    func testAKeyWrittenWithEscapesIsStillTheSameField() {
        let result = HeartbeatDecoder().decode(Array(#"{"se\u0071":-1}"#.utf8))
        guard case .failure(let rejection) = result else {
            return XCTFail("a negative seq under an escaped key was accepted")
        }
        XCTAssertEqual(rejection.reason, .badField)
        XCTAssertEqual(try? HeartbeatDecoder().decode(Array(#"{"\u0073eq":5}"#.utf8)).get().seq, 5)
    }
}
