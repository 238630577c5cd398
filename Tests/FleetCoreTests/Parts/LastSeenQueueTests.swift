import XCTest

@testable import FleetCore

final class LastSeenQueueTests: XCTestCase {
    func testARoundTakesOnlyWhatWasQueuedWhenItBeganOldestFirst() {
        var q = LastSeenQueue()
        q.append(3)
        q.append(1)
        XCTAssertEqual(q.takeRound(limit: 10), [], "no round yet")
        q.beginRound()
        q.append(2)
        XCTAssertEqual(q.takeRound(limit: 1), [3])
        XCTAssertEqual(q.takeRound(limit: 10), [1], "2 came after the round began")
        q.beginRound()
        XCTAssertEqual(q.takeRound(limit: 10), [2])
    }

    func testARemovedEntryLeavesItsRoundAndTakeAllEmptiesEverything() {
        var q = LastSeenQueue()
        for slot: DeviceSlot in [5, 6, 7] { q.append(slot) }
        q.beginRound()
        q.append(8)
        q.remove(5)
        q.remove(9)  // not queued: nothing happens
        XCTAssertEqual(q.takeRound(limit: 10), [6, 7])
        XCTAssertEqual(q.takeAll(), [8])
        q.beginRound()
        XCTAssertEqual(q.takeRound(limit: 10), [])
    }
}
