import XCTest

@testable import FleetCore

final class MaintenanceCalendarTests: XCTestCase {
    private func registry() -> DeviceRegistry {
        var r = DeviceRegistry(kinds: KindSettings.builtIn, maxDevices: 10)
        _ = r.insert(robotRecord("a"))
        _ = r.insert(robotRecord("b"))
        _ = r.insert(robotRecord("c", site: "jinqiao"))
        return r
    }

    func testASiteWindowCoversItsDevicesWhileActiveThenReleasesThem() throws {
        var calendar = MaintenanceCalendar(windows: [], nextID: 5)
        let stored = try calendar.add(
            MaintenanceWindow(site: "tianshan", from: at(10).wall, until: at(20).wall),
            at: at(0)
        ).get()
        XCTAssertEqual(stored.id, 5)
        let r = registry()
        XCTAssertEqual(calendar.changes(at: at(9), in: r).entering, [])
        XCTAssertEqual(calendar.changes(at: at(10), in: r).entering, [0, 1])
        XCTAssertEqual(calendar.changes(at: at(15), in: r).entering, [])
        let end = calendar.changes(at: at(20), in: r)
        XCTAssertEqual(end.leaving, [0, 1])
        XCTAssertTrue(calendar.windows.isEmpty, "an ended window is dropped")
    }

    func testRemovingAWindowReleasesItsDeviceAndMarksItRemoved() throws {
        var calendar = MaintenanceCalendar(windows: [], nextID: 1)
        let r = registry()
        _ = calendar.add(MaintenanceWindow(device: "c", from: at(0).wall, until: at(100).wall), at: at(0))
        XCTAssertEqual(calendar.changes(at: at(1), in: r).entering, [2])
        let removed = try calendar.remove(1, at: at(2)).get()
        XCTAssertEqual(removed.removedAt, at(2).wall)
        XCTAssertEqual(calendar.changes(at: at(2), in: r).leaving, [2])
        XCTAssertEqual(
            calendar.remove(1, at: at(3)).failureText,
            "no current maintenance window MW-1 (see fleetwatch maintenance list)")
    }

    func testAWindowThatEndsBeforeItStartsOrInThePastIsRefused() {
        var calendar = MaintenanceCalendar(windows: [], nextID: 1)
        let expected = "the window must end after it starts and after now"
        XCTAssertEqual(
            calendar.add(MaintenanceWindow(site: "s", from: at(10).wall, until: at(5).wall), at: at(0))
                .failureText, expected)
        XCTAssertEqual(
            calendar.add(MaintenanceWindow(site: "s", from: at(-10).wall, until: at(-5).wall), at: at(0))
                .failureText, expected)
        XCTAssertTrue(calendar.windows.isEmpty)
    }
}

extension Result where Failure == OperatorError {
    var failureText: String? {
        if case .failure(let e) = self { e.description } else { nil }
    }
}
