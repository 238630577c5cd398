import Foundation
import XCTest

/// The device status topic (SPEC §3, §5): a retained `offline` waiting on the broker when the
/// daemon starts is believed at once, grace or not; an `online` payload is accepted but does
/// not by itself make a device online (its next heartbeat does).
final class StatusTopicTests: EndToEndTestCase {
    /// A 30 s grace: only the retained status can explain an offline within seconds of start.
    func testARetainedOfflineAtStartIsBelievedAtOnceDespiteTheGrace() throws {
        try writeConfig(
            grace: 30,
            extra: """
                [[devices]]
                id = "locker-9"
                site = "tianshan"
                kind = "pickup-locker"
                [[devices]]
                id = "locker-10"
                site = "tianshan"
                kind = "pickup-locker"
                """)
        try broker.publish("library/tianshan/pickup-locker/locker-9/status", "offline", retain: true)
        let started = monotonicSeconds()
        try startDaemon()
        XCTAssertTrue(try waitUntil(10) { try deviceState("locker-9") == "offline" })
        XCTAssertLessThan(monotonicSeconds() - started, 10)
        XCTAssertEqual(try deviceState("locker-10"), "unknown", "the grace still holds for the others")
        XCTAssertEqual(try alertSummaries(), ["OPEN P2 rule=offline site=tianshan kind=pickup-locker device=locker-9"])
    }

    func testAnOnlineStatusIsAcceptedButOnlyAHeartbeatMakesTheDeviceOnline() throws {
        try writeConfig(
            grace: 30,
            extra: """
                [[devices]]
                id = "kiosk-3"
                site = "tianshan"
                kind = "digital-human"
                """)
        try startDaemon()
        let before = try daemonStatus().messages.accepted
        try broker.publish("library/tianshan/digital-human/kiosk-3/status", "online")
        XCTAssertTrue(
            try waitUntil(10) { try daemonStatus().messages.accepted == before + 1 }, "online is a valid status")
        XCTAssertEqual(try daemonStatus().messages.rejected, [:])
        XCTAssertEqual(try deviceState("kiosk-3"), "unknown")
        try broker.publish("library/tianshan/digital-human/kiosk-3/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(try waitUntil(10) { try deviceState("kiosk-3") == "online" })
    }
}
