import XCTest

@testable import FleetCore

final class FailureHistoryTests: XCTestCase {
    func testFailuresCountInsideTheWindowOnly() {
        var h = FailureHistory(restored: [("robot-01", 0)])
        XCTAssertEqual(h.record(device: "robot-01", window: 100, at: 50), 2)
        XCTAssertEqual(h.record(device: "robot-01", window: 100, at: 120), 2, "the one at 0 left the window")
        XCTAssertEqual(h.record(device: "gate-01", window: 100, at: 120), 1)
    }

    func testForgettingExpiredFailuresKeepsRecentOnes() {
        var h = FailureHistory()
        _ = h.record(device: "a", window: 100, at: 0)
        _ = h.record(device: "b", window: 100, at: 90)
        h.forgetExpired(window: 100, at: 150)
        XCTAssertEqual(h.count(device: "a"), 0)
        XCTAssertEqual(h.count(device: "b"), 1)
    }
}
