import Foundation
import XCTest

/// What resolved during `group_wait_s` is never sent (SPEC §5, issue 20): a device offline for a
/// moment and back before its OPEN line fell due writes no line at all, yet stays in the database.
final class BlipTests: EndToEndTestCase {
    func testADeviceBlipShorterThanGroupWaitWritesNoLine() throws {
        try writeConfig(grace: 1, resolveAfter: 4, groupWait: 4)
        try startDaemon()
        try startSim([
            "--sites", "1", "--kinds", "delivery-robot", "--per-kind", "1", "--interval", "0.5",
            "--at", "3:kill:robot-site01-01", "--at", "4.5:resume:robot-site01-01",
        ])
        // Offline by its last will (at ~3.5 s), back at 4.5 s, before the OPEN line is due (~7.5 s).
        XCTAssertTrue(try waitUntil(10) { try incidents().count == 1 }, "the blip must open an incident")
        XCTAssertTrue(try waitUntil(8) { try deviceState("robot-site01-01") == "online" })
        // It resolves quietly once clear for resolve_after_s (~8.5 s); wait past that and past the
        // moment its OPEN line would have been written.
        XCTAssertTrue(try waitUntil(15) { try incidents().isEmpty })
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(alertLines(), [], "neither OPEN nor RESOLVE")
        let stored = try incidents(all: true)
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?["status"] as? String, "resolved")
        XCTAssertEqual(stored.first?["announced"] as? Bool, false)
    }
}
