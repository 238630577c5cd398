import Foundation
import XCTest

/// What the daemon shows of itself: its retained state topic (SPEC §5), its control socket
/// (SPEC §8), a clean stop on SIGINT as on SIGTERM, and its persistent session (SPEC §5).
final class DaemonPresenceTests: EndToEndTestCase {
    /// The retained value of `library/$fleetwatch/state`, read with the real `mosquitto_sub`.
    private func stateTopic() throws -> String {
        let result = try runCommand(
            "/usr/bin/mosquitto_sub",
            [
                "-h", "127.0.0.1", "-p", String(broker.port), "-t", "library/$fleetwatch/state", "-C", "1", "-W", "5",
            ])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testTheStateTopicSaysOnlineWhileRunningAndOfflineAfterAStopOrACrash() throws {
        try writeConfig()
        let first = try startDaemon()
        XCTAssertTrue(try waitUntil(5) { try stateTopic() == "online" })
        first.signal(SIGTERM)
        XCTAssertEqual(first.wait(timeout: 5), 0)
        XCTAssertEqual(try stateTopic(), "offline")
        let second = try startDaemon()
        XCTAssertTrue(try waitUntil(5) { try stateTopic() == "online" })
        second.signal(SIGKILL)
        _ = second.wait(timeout: 5)
        // No DISCONNECT: the broker publishes the daemon's last will.
        XCTAssertTrue(try waitUntil(5) { try stateTopic() == "offline" })
    }

    func testSigintStopsCleanlyAndTheControlSocketIsGroupWritableAndRemoved() throws {
        try writeConfig()
        let d = try startDaemon()
        let socketPath = directory + "/control.sock"
        let attributes = try FileManager.default.attributesOfItem(atPath: socketPath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o660)
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeSocket)
        d.signal(SIGINT)
        XCTAssertEqual(d.wait(timeout: 5), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: socketPath))
        XCTAssertEqual(try daemonStatus().daemon, .stopped)
    }

    /// Clean session off, fixed client id: the broker keeps what QoS 1 devices sent while the
    /// daemon was stopped and delivers it when the daemon is back.
    func testHeartbeatsSentWhileTheDaemonWasStoppedAreDeliveredWhenItReturns() throws {
        try writeConfig()
        let first = try startDaemon()
        first.signal(SIGTERM)
        XCTAssertEqual(first.wait(timeout: 5), 0)
        try broker.publish("library/site01/face-gate/gate-away-1/heartbeat", #"{"health":"ok"}"#, qos: 1)
        try startDaemon()
        XCTAssertTrue(try waitUntil(5) { try deviceState("gate-away-1") != nil })
        XCTAssertEqual(try device("gate-away-1")?.site, "site01")
    }
}
