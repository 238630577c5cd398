import XCTest

@testable import FleetCore

/// What `OpenIncidents` keeps up to date on every change, so the once-a-second work does not scan
/// every open incident: the breach heap and the counts by priority and condition.
final class OpenIncidentsTests: XCTestCase {
    private func incident(_ id: Int64, device: String, respondBy: Double?, priority: Priority = .p2) -> Incident {
        Incident(
            id: id, priority: priority, rule: .offline, scope: .device, site: "tianshan", kind: "delivery-robot",
            device: device, openedAt: 0, respondBy: respondBy, summary: "x", announced: true)
    }

    private func candidates(_ book: inout OpenIncidents, at wall: Double) -> [Int64] {
        var ids: [Int64] = []
        while let id = book.popBreachCandidate(at: wall) { ids.append(id) }
        return ids
    }

    func testBreachCandidatesComeOutWhenTheirEarliestDeadlineIsDueAndNotBefore() {
        var book = OpenIncidents()
        let late = incident(1, device: "r1", respondBy: 300)
        let soon = incident(2, device: "r2", respondBy: 100)
        book[late.key] = late
        book[soon.key] = soon
        book[incident(3, device: "r3", respondBy: nil).key] = incident(3, device: "r3", respondBy: nil)
        XCTAssertEqual(candidates(&book, at: 99), [])
        XCTAssertEqual(candidates(&book, at: 100), [2])
        XCTAssertEqual(candidates(&book, at: 1000), [1])
    }

    func testAnEarlierDeadlineSetLaterIsCandidateAtItsOwnTime() {
        var book = OpenIncidents()
        var one = incident(1, device: "r1", respondBy: 7200)
        book[one.key] = one
        one.onsiteBy = 50  // a dispatch: the on-site clock is now the earliest
        book[one.key] = one
        XCTAssertEqual(candidates(&book, at: 50), [1])
    }

    func testAnIncidentThatIsNotAnnouncedOrCannotMissAnythingIsNoCandidate() {
        var book = OpenIncidents()
        var quiet = incident(1, device: "r1", respondBy: 10)
        quiet.announced = false
        book[quiet.key] = quiet
        var acknowledged = incident(2, device: "r2", respondBy: 10)
        acknowledged.status = .acknowledged
        book[acknowledged.key] = acknowledged
        XCTAssertEqual(candidates(&book, at: 100), [])
    }

    func testAHeapFullOfStaleEntriesIsBuiltAgainWithTheLiveOnes() {
        var book = OpenIncidents()
        var one = incident(1, device: "r1", respondBy: 0)
        for due in 1...5000 {  // each move pushes an entry; the old ones are stale
            one.respondBy = Double(due)
            book[one.key] = one
        }
        let stale = candidates(&book, at: 4999)
        XCTAssertLessThanOrEqual(stale.count, 2 * book.count + 1024, "stale entries are bounded by the live ones")
        XCTAssertGreaterThan(stale.count, 0, "and dropped only by a rebuild, not at each change")
        XCTAssertEqual(candidates(&book, at: 5000), [1], "the live deadline survived the rebuilds")
    }

    func testCountsFollowChangesAndRemovals() {
        var book = OpenIncidents()
        var one = incident(1, device: "r1", respondBy: nil)
        let two = incident(2, device: "r2", respondBy: nil)
        book[one.key] = one
        book[two.key] = two
        XCTAssertEqual(book.countsByPriority, [.p2: 2])
        one.priority = .p1
        book[one.key] = one
        XCTAssertEqual(book.countsByPriority, [.p1: 1, .p2: 1])
        _ = book.removeValue(forKey: two.key)
        book[one.key] = nil
        XCTAssertEqual(book.countsByPriority, [:])
        XCTAssertEqual(book.countsByCondition, [:])
    }
}
