import XCTest

@testable import FleetCore

final class CollectorWatchTests: XCTestCase {
    private func watch() -> CollectorWatch {
        var settings = DetectionSettings()
        settings.startupGraceSeconds = 60
        settings.brokerDownP1AfterSeconds = 300
        return CollectorWatch(settings, startedAt: at(0))
    }

    func testEveryConnectGrantsGraceButNeverShortensARunningOne() {
        var w = watch()
        w.brokerConnected(at: at(10))
        XCTAssertEqual(w.graceEnd, at(70).monotonic)
        w.brokerDisconnected(at: at(20))
        w.brokerConnected(at: at(21))
        XCTAssertEqual(w.graceEnd, at(81).monotonic)
    }

    func testTheBrokerIsUnreachableFromTheFirstAttemptAtStart() {
        var w = watch()
        XCTAssertNil(w.brokerUnreachable(broker: "b:1", at: at(299)))
        XCTAssertEqual(w.brokerUnreachable(broker: "b:1", at: at(300))?.summary, "broker b:1 unreachable for 300s")
        w.brokerConnected(at: at(301))
        XCTAssertNil(w.brokerUnreachable(broker: "b:1", at: at(1000)))
        XCTAssertNil(w.brokerDownFor(at: at(1000)))
    }

    func testAnOutageIsCountedFromTheLossNotFromAnEarlierOne() {
        var w = watch()
        w.brokerConnected(at: at(1))
        w.brokerDisconnected(at: at(500))
        w.brokerDisconnected(at: at(600))  // a second report of the same loss
        XCTAssertEqual(w.brokerDownFor(at: at(700)), 200)
        XCTAssertNil(w.brokerUnreachable(broker: "b:1", at: at(799)))
        XCTAssertNotNil(w.brokerUnreachable(broker: "b:1", at: at(800)))
    }

    func testALateTickIsAStallThatGrantsGrace() {
        var w = watch()
        w.brokerConnected(at: at(0))
        w.tick(at: at(100))
        XCTAssertEqual(w.graceEnd, at(160).monotonic)
        w.tick(at: at(100 + CollectorWatch.stallThreshold))
        XCTAssertEqual(w.graceEnd, at(160).monotonic, "exactly the threshold is not a stall")
        XCTAssertTrue(w.isStalled(at: at(200)))
    }
}
