import XCTest

@testable import FleetCore

final class DeviceIndexTests: XCTestCase {
    private func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        Array(s.utf8).withUnsafeBufferPointer(body)
    }

    func testEveryInsertedIdIsFoundAfterTheTableGrows() {
        let ids = (0..<10_000).map { "robot-site\($0 % 100)-\($0)" }
        var index = DeviceIndex()
        for (i, id) in ids.enumerated() { index.insert(Int32(i), hash: id.utf8Hash) }
        XCTAssertEqual(index.count, ids.count)
        for (i, id) in ids.enumerated() {
            let found = withBytes(id) { bytes in
                index.find(hash: DeviceIndex.hash(bytes)) { ids[Int($0)].utf8Equals(bytes) }
            }
            XCTAssertEqual(found, Int32(i), id)
        }
        for id in ["robot-site1-10000", "", "robot-site1-1 "] {
            XCTAssertNil(
                withBytes(id) { bytes in index.find(hash: DeviceIndex.hash(bytes)) { ids[Int($0)].utf8Equals(bytes) } })
        }
    }

    func testIdsWithTheSameHashAreToldApartByTheirBytes() {
        let ids = ["a", "b", "c"]
        var index = DeviceIndex()
        for i in ids.indices { index.insert(Int32(i), hash: 42) }  // every entry collides
        for (i, id) in ids.enumerated() {
            XCTAssertEqual(withBytes(id) { bytes in index.find(hash: 42) { ids[Int($0)].utf8Equals(bytes) } }, Int32(i))
        }
        XCTAssertNil(withBytes("d") { bytes in index.find(hash: 42) { ids[Int($0)].utf8Equals(bytes) } })
    }

    func testHashAndEqualityAgreeForStringsAndBytes() {
        for id in ["robot-01", "robot-site042-000123", "Locker_7", String(repeating: "x", count: 64)] {
            XCTAssertEqual(withBytes(id) { DeviceIndex.hash($0) }, id.utf8Hash)
            XCTAssertTrue(withBytes(id) { id.utf8Equals($0) })
            XCTAssertFalse(withBytes(id + "x") { id.utf8Equals($0) })
            XCTAssertFalse(withBytes(String(id.dropLast())) { id.utf8Equals($0) })
        }
    }
}
