import XCTest

@testable import FleetCore

final class EngineEffectTests: XCTestCase {
    /// A burst of registrations is 100,000 `saveDevice` effects held twice (the pass's effects and
    /// the commit's pending list): an effect as wide as an inline `Incident` made that 80 MB.
    func testAnEffectIsNoWiderThanADeviceRecordAndItsTag() {
        XCTAssertLessThanOrEqual(MemoryLayout<EngineEffect>.stride, MemoryLayout<DeviceRecord>.stride + 8)
        XCTAssertGreaterThan(MemoryLayout<Incident>.size, 2 * MemoryLayout<DeviceRecord>.size)
    }
}
