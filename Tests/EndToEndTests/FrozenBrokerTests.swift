import Foundation
import XCTest

/// Issue 11, item 5: a broker frozen by SIGSTOP keeps its TCP sessions open and delivers
/// nothing; the daemon must not take the silence for its devices' (SPEC §5: no storms from the
/// watcher's own faults). Before: `OPEN P1 fleet-outage` after 1.7 s of a 20 s freeze, with 33
/// offline, 10 core-down and 5 site-outage children.
final class FrozenBrokerTests: EndToEndTestCase {
    /// Every kind times out after 1.5 s (0.5 s × 3); outages on, as shipped.
    private func writeFastConfig() throws {
        let fast = "interval_s = 0.5\nmissed = 3"
        try writeConfig(
            grace: 2, outages: true,
            kinds: [
                "delivery-robot": fast, "pickup-locker": fast,
                "digital-human": fast, "face-gate": fast,
            ])
    }

    private func freezeBroker(for seconds: Double, _ reason: String) throws {
        let frozen = try XCTUnwrap(broker.process)
        frozen.signal(SIGSTOP)
        defer { frozen.signal(SIGCONT) }
        waitPast(seconds, reason)
    }

    func testABrokerFrozenLongerThanEveryTimeoutOpensNothing() throws {
        try writeFastConfig()
        try startDaemon()
        try startSim(["--sites", "5", "--per-kind", "2", "--interval", "0.5"])
        XCTAssertTrue(try waitUntil(15) { try deviceCount(inState: "online") == 40 })
        let frozen = try XCTUnwrap(broker.process)
        frozen.signal(SIGSTOP)
        defer { frozen.signal(SIGCONT) }
        // The daemon sees that its own probe does not come back (3 s) and says so.
        XCTAssertTrue(waitUntil(8) { self.daemon?.log.contains("broker stopped delivering") == true })
        waitPast(16, "20 s frozen in all: past keepalive (5 s × 1.5), the probe's 3 s and every 1.5 s device timeout")
        frozen.signal(SIGCONT)

        XCTAssertTrue(try waitUntil(reconnectTimeout) { try daemonStatus().broker == .connected })
        XCTAssertTrue(try waitUntil(reconnectTimeout) { try deviceCount(inState: "online") == 40 })
        waitPast(3, "the 2 s grace after the broker came back has ended")
        try waitForEngineTurns()
        XCTAssertEqual(alertLines(), [], "no incident from the broker's freeze")
        XCTAssertEqual(try allIncidents(), [])
    }

    /// The probe does not blind the daemon: a device that really stops while the broker is
    /// frozen is declared offline once the broker delivers again and the grace has passed, and
    /// a device that stops while all is well is declared offline at its timeout.
    func testDevicesThatReallyStopAreStillDeclaredOffline() throws {
        try writeFastConfig()
        try startDaemon()
        // Three gates a site: one of them offline is no site outage.
        try startSim([
            "--sites", "2", "--per-kind", "3", "--kinds", "face-gate", "--interval", "0.5",
            "--at", "8:stop:gate-site01-01", "--at", "30:stop:gate-site02-01",
        ])
        XCTAssertTrue(try waitUntil(15) { try deviceCount(inState: "online") == 6 })
        try freezeBroker(for: 8, "past the 3 s probe timeout; gate-site01-01 stops meanwhile (8 s into the run)")
        XCTAssertTrue(try waitUntil(reconnectTimeout) { try deviceState("gate-site01-01") == "offline" })
        XCTAssertEqual(
            try alerts(event: "OPEN").map(\.summary),
            ["OPEN P2 rule=offline site=site01 kind=face-gate device=gate-site01-01"])
        XCTAssertTrue(try waitUntil(30) { try deviceState("gate-site02-01") == "offline" })
        XCTAssertEqual(try deviceCount(inState: "online"), 4)
    }
}
