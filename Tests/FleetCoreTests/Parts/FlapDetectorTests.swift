import XCTest

@testable import FleetCore

final class FlapDetectorTests: XCTestCase {
    private func detector(changes: Int = 4, window: Double = 60) -> FlapDetector {
        var settings = DetectionSettings()
        settings.flapChanges = changes
        settings.flapWindowSeconds = window
        return FlapDetector(settings)
    }

    func testTheNthChangeInsideTheWindowMakesADeviceFlapOnce() {
        var f = detector()
        XCTAssertEqual((0..<3).map { f.record(1, at: Double($0) * 10) }, [false, false, false])
        XCTAssertTrue(f.record(1, at: 30))
        XCTAssertTrue(f.isFlapping(1))
        XCTAssertFalse(f.record(1, at: 40), "already flapping: said once")
        XCTAssertFalse(f.isFlapping(2))
    }

    func testChangesSpreadWiderThanTheWindowAreNotFlapping() {
        var f = detector()
        XCTAssertFalse([0.0, 25, 50, 75, 100, 125].map { f.record(1, at: $0) }.contains(true))
    }

    func testAFlappingDeviceCalmsAfterAWholeStableWindow() {
        var f = detector()
        for t in [0.0, 1, 2, 3] { _ = f.record(7, at: t) }
        XCTAssertEqual(f.takeCalmed(at: 62.9), [])
        XCTAssertEqual(f.takeCalmed(at: 63), [7])
        XCTAssertFalse(f.isFlapping(7))
        XCTAssertFalse(f.record(7, at: 64), "its history starts over")
    }

    func testForgettingStaleHistoriesChangesNoVerdict() {
        var kept = detector()
        var pruned = detector()
        for t in [0.0, 10, 20] {
            _ = kept.record(3, at: t)
            _ = pruned.record(3, at: t)
        }
        pruned.forgetStale(at: 200)
        for t in [200.0, 210, 220, 230] { XCTAssertEqual(kept.record(3, at: t), pruned.record(3, at: t), "t=\(t)") }
    }
}
