import XCTest

@testable import FleetCore

final class DeviceIdArenaTests: XCTestCase {
    private func matches(_ arena: DeviceIdArena, _ span: DeviceIdArena.Span, _ id: String) -> Bool {
        var id = id
        return id.withUTF8 { arena.equals(span, $0) }
    }

    func testAnIdComesBackAsItWentInAndComparesByItsBytes() {
        var arena = DeviceIdArena()
        let a = arena.add("robot-01")
        let b = arena.add("a-face-gate-at-the-north-entrance")
        XCTAssertEqual(arena.string(a), "robot-01")
        XCTAssertEqual(arena.string(b), "a-face-gate-at-the-north-entrance")
        XCTAssertTrue(matches(arena, a, "robot-01"))
        XCTAssertFalse(matches(arena, a, "robot-02"))
        XCTAssertFalse(matches(arena, a, "robot-0"), "a prefix is not the id")
        XCTAssertFalse(matches(arena, a, "robot-01a"))
        XCTAssertEqual(
            arena.hash(b), "a-face-gate-at-the-north-entrance".utf8Hash, "the index's hash of the same bytes")
    }

    func testRemovedIdsAreReclaimedOnlyWhenMostOfTheBufferIsTheirs() {
        var arena = DeviceIdArena()
        var spans = (0..<4_000).map { arena.add("delivery-robot-\($0)-of-the-district") }
        for k in 0..<1_900 {
            arena.remove(spans[k])
            spans[k] = .empty
        }
        XCTAssertFalse(arena.worthCompacting, "under half unused")
        for k in 1_900..<2_100 {
            arena.remove(spans[k])
            spans[k] = .empty
        }
        XCTAssertTrue(arena.worthCompacting)
        let compacted = arena.compacted(&spans)
        XCTAssertEqual(compacted.unusedBytes, 0)
        XCTAssertFalse(compacted.worthCompacting)
        for k in 2_100..<4_000 { XCTAssertEqual(compacted.string(spans[k]), "delivery-robot-\(k)-of-the-district") }
        XCTAssertEqual(spans.prefix(2_100).filter { $0 != .empty }.count, 0, "removed ones stay empty")
    }

    func testASmallBufferIsNotWorthCompactingHoweverMuchIsUnused() {
        var arena = DeviceIdArena()
        let spans = (0..<100).map { arena.add("robot-\($0)") }
        for span in spans { arena.remove(span) }
        XCTAssertFalse(arena.worthCompacting)
    }
}
