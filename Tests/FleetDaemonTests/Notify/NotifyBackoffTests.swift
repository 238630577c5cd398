import XCTest

@testable import FleetDaemon

final class NotifyBackoffTests: XCTestCase {
    func testTheDelayDoublesFromOneSecondToFiveMinutes() {
        XCTAssertEqual(
            (1...12).map { NotifyBackoff.delay(afterFailures: $0) },
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
        XCTAssertEqual(NotifyBackoff.delay(afterFailures: 10_000), 300, "no overflow after days of failures")
    }

    func testASuccessStartsOver() {
        var backoff = NotifyBackoff()
        XCTAssertFalse(backoff.isWaiting(at: 0))
        XCTAssertEqual(backoff.failed(at: 100), 1)
        XCTAssertEqual(backoff.failed(at: 101), 2)
        XCTAssertTrue(backoff.isWaiting(at: 102.9))
        XCTAssertFalse(backoff.isWaiting(at: 103))
        backoff.succeeded()
        XCTAssertNil(backoff.retryAt)
        XCTAssertEqual(backoff.failed(at: 200), 1)
    }
}
