import Foundation
import XCTest
@testable import FleetConfig
@testable import FleetCore

/// Bugs found while the unit tests were first written, each fixed; these tests keep them fixed.
/// The comments describe the code as it was.
final class RegressionTests: XCTestCase {
    // MARK: HeartbeatDecoder / JSONScanner

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
        for payload in [#"{"seq":}"#, #"{"health":]}"#, #"{"errors":["a",]}"#, #"{"ts":,"seq":1}"#,
                        #"{"interval_s":}"#, #"{"fw":}"#] {
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

    // MARK: TimeFormat

    /// TimeFormat.swift `format(_:milliseconds:)`: `Int(((unixSeconds - whole) * 1000).rounded(.down))`
    /// turns the SPEC's own example time 21:30:04.120 into `.119`, since 1795699804.12 is stored as
    /// 1795699804.1199998…; about half of all millisecond values come out one too low.
    func testTheSpecExampleTimeKeepsItsMilliseconds() throws {
        let opened = try XCTUnwrap(RFC3339.parse("2026-11-26T21:30:04.120+08:00"))
        let format = TimeFormat(zoneIdentifier: "Asia/Shanghai")
        XCTAssertEqual(format.format(opened, milliseconds: true), "2026-11-26T21:30:04.120+08:00")
        let event = AlertEvent(time: opened, kind: .open, priority: .p2, incidentID: 123, fields: [
            .init("rule", "offline"), .init("site", "tianshan"), .init("kind", "delivery-robot"),
            .init("device", "robot-01"), .init("respond_by", "2026-11-27T10:30:04+08:00"),
            .init("msg", "no heartbeat for 31.2s (expected every 10s)"),
        ])
        XCTAssertEqual(event.textLine(format),
                       "2026-11-26T21:30:04.120+08:00 OPEN P2 INC-000123 rule=offline site=tianshan "
                           + "kind=delivery-robot device=robot-01 respond_by=2026-11-27T10:30:04+08:00 "
                           + "msg=\"no heartbeat for 31.2s (expected every 10s)\"")
        var wrong = 0
        for ms in 0..<1000 {
            let t = 1_795_699_804 + Double(ms) / 1000
            if !format.format(t, milliseconds: true).contains(String(format: ".%03d+", ms)) { wrong += 1 }
        }
        XCTAssertEqual(wrong, 0, "milliseconds rendered one too low")
    }

    // MARK: alert log text lines

    /// AlertEvent+Rendering.swift `quoteIfNeeded`: it walks `Character`s, and "\r\n" is one
    /// Character that matches neither `case "\n"` nor `case "\r"`, so a value holding a CRLF
    /// (an operator's note, say) is written raw and splits the event over two log lines.
    func testACRLFInsideAValueDoesNotBreakTheLine() {
        let line = AlertEvent(time: 1_795_699_804, kind: .note, priority: .p2, incidentID: 1,
                              fields: [.init("note", "first\r\nsecond")])
            .textLine(TimeFormat(zoneIdentifier: "Asia/Shanghai"))
        XCTAssertFalse(line.contains("\n"), line)
        XCTAssertEqual(line, #"2026-11-26T21:30:04.000+08:00 NOTE P2 INC-000001 note="first\r\nsecond""#)
    }

    // MARK: DetectionEngine

    /// DetectionEngine+Messages.swift `applyHealth` with DetectionEngine.swift `TrackedDevice.health`
    /// (always `.ok` after a restart): a device restored in state `degraded` that reports `ok`
    /// hits `guard wasDown || previousHealth != health else { return }` and stays degraded with
    /// its incident open forever.
    func testARestoredDegradedDeviceThatReportsOkRecovers() {
        let record = DeviceRecord(id: "robot-01", site: "tianshan", kind: "delivery-robot", inventory: false,
                                  state: .degraded, stateSince: 1_795_650_000, lastSeen: 1_795_650_000)
        let incident = Incident(id: 7, priority: .p2, rule: "degraded", scope: .device, site: "tianshan",
                                kind: "delivery-robot", device: "robot-01", openedAt: 1_795_650_000,
                                summary: "device reports health degraded", announced: true)
        let rig = EngineRig(restored: RestoredState(devices: [record], unresolvedIncidents: [incident],
                                                    nextIncidentID: 8))
        rig.connect(at: 0)
        let robot = DeviceTopic.robot()
        rig.beat(robot, at: 1) { $0.health = .ok }
        XCTAssertEqual(rig.state("robot-01"), .online)
        let effects = rig.run(to: 40, beating: [robot], every: 5)
        XCTAssertEqual(effects.eventSummaries, ["RESOLVE degraded robot-01 #7"])
    }

    /// DetectionEngine+Messages.swift, `interval_s` handling: a shorter timeout is stored but the
    /// device's entry in the deadline heap keeps the old, later deadline (the lazy heap only
    /// copes with deadlines moving later), so offline is declared at the old deadline.
    func testADeviceThatShortensItsOwnIntervalGoesOfflineByTheNewTimeout() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        let robot = DeviceTopic.robot()
        rig.beat(robot, at: 100)  // kind default: offline at 130
        rig.run(to: 101)
        rig.beat(robot, at: 101) { $0.intervalSeconds = 2 }  // now offline at 107
        XCTAssertEqual(rig.run(to: 106), [])
        XCTAssertEqual(rig.tick(at: 107).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    /// DetectionEngine+Reload.swift: the same for a reload that shortens a kind's interval.
    func testAReloadThatShortensAKindsIntervalTakesEffectForHeardDevices() {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.run(to: 100)
        rig.beat(.robot(), at: 100)  // offline at 130 with 10 s × 3
        rig.run(to: 101)
        var next = rig.engine.configuration
        next.kinds["delivery-robot"]?.intervalSeconds = 2  // 6 s: offline at 106
        _ = rig.engine.reload(next, at: rig.moment(101))
        XCTAssertEqual(rig.run(to: 105), [])
        XCTAssertEqual(rig.tick(at: 106).eventSummaries, ["OPEN offline robot-01 #1"])
    }

    // MARK: configuration

    /// ConfigurationLoader+Sections.swift `minutes`: `Int("+9")` is 9, so "+9:00" passes the
    /// two-character check and is read as 09:00.
    func testServiceHoursWithASignAreRejected() {
        XCTAssertThrowsError(try ConfigurationLoader.parse(#"[sla]\#nservice_hours = ["+9:00-12:00"]"#))
    }

    /// ConfigurationLoader+Sections.swift `isLocalDate`: any day 1-31 passes for any month, so a
    /// holiday that does not exist is accepted silently.
    func testAHolidayThatDoesNotExistIsRejected() {
        XCTAssertThrowsError(try ConfigurationLoader.parse(#"[sla]\#nholidays = ["2026-02-30"]"#))
        XCTAssertThrowsError(try ConfigurationLoader.parse(#"[sla]\#nholidays = ["2026-04-31"]"#))
    }

    // MARK: incident labels

    /// Incident.swift `parseLabel`: `Int64("+5")` accepts a sign, so "INC-+5" names INC-000005.
    func testAnIncidentLabelWithASignIsNotAnId() {
        XCTAssertNil(Incident.parseLabel("INC-+5"))
        XCTAssertNil(Incident.parseLabel("+5"))
    }
}
