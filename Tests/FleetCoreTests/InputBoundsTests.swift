import XCTest

@testable import FleetCore

/// Issue 11, items 6 and 7: inputs are bounded, and every time formatter is total.
final class InputBoundsTests: XCTestCase {
    private func decode(_ json: String) -> Result<Heartbeat, Rejection> { HeartbeatDecoder().decode(Array(json.utf8)) }

    func testAnIntervalOutsideATenthOfASecondToADayIsABadField() {
        for bad in ["1e-9", "0.05", "0.099", "86400.5", "86401", "1e300", "0", "-1"] {
            XCTAssertEqual(decode("{\"interval_s\":\(bad)}").failureReason, .badField, bad)
        }
        for good in ["0.1", "0.25", "10", "86400"] {
            XCTAssertNotNil(try? decode("{\"interval_s\":\(good)}").get().intervalSeconds, good)
        }
    }

    func testTimesFarOutsideTheCalendarStillFormat() {
        let utc = TimeFormat(zoneIdentifier: "UTC")
        XCTAssertEqual(utc.format(1e308), "9999-12-31T23:59:59+00:00")
        XCTAssertEqual(utc.format(-1e308, milliseconds: true), "0001-01-01T00:00:00.000+00:00")
        let format = TimeFormat(zoneIdentifier: "Asia/Shanghai")
        for t in [Double.infinity, -.infinity, .nan, 9.3e18, -9.3e18, Double.greatestFiniteMagnitude] {
            XCTAssertFalse(format.format(t, milliseconds: true).isEmpty)
            var bytes: [UInt8] = []
            format.append(t, to: &bytes)
            XCTAssertFalse(bytes.isEmpty)
        }
        XCTAssertEqual(TimeFormat(zoneIdentifier: "UTC").format(.nan), "1970-01-01T00:00:00+00:00")
        XCTAssertEqual(DurationText.seconds(.nan), "nans")
    }

    /// Before: the daemon took `from = -1e308, until = 1e308`, and every `maintenance list`
    /// trapped on it afterwards.
    func testMaintenanceWindowsMustStartAndEndWithinTenYears() throws {
        let rig = EngineRig()
        rig.connect(at: 0)
        rig.beat(.robot(), at: 0)
        let now = rig.wall(0)
        let year = 365.25 * 86_400
        let refused: [(Double, Double)] = [
            (-1e308, 1e308), (now, 1e308), (now, now + 10 * year + 1),
            (now - 10 * year - 1, now + 60), (.nan, now + 60), (now, .infinity),
            (-.infinity, now + 60),
        ]
        for (from, until) in refused {
            let result = rig.engine.addMaintenance(
                MaintenanceWindow(device: "robot-01", from: from, until: until),
                at: rig.moment(0))
            guard case .failure(let error) = result else { return XCTFail("accepted \(from) … \(until)") }
            XCTAssertEqual(error.description, "a maintenance window must start and end within 10 years of now")
        }
        XCTAssertEqual(rig.state("robot-01"), .online)
        // Only a recurring window may run without an end.
        let forever = rig.engine.addMaintenance(
            MaintenanceWindow(device: "robot-01", from: now, until: MaintenanceWindow.noEnd),
            at: rig.moment(0))
        XCTAssertNil(try? forever.get())
        let recurring = MaintenanceWindow(
            device: "robot-01", from: now, until: MaintenanceWindow.noEnd,
            every: try XCTUnwrap(try? MaintenanceRecurrence.parse("daily 02:00-03:00").get()))
        XCTAssertNotNil(try? rig.engine.addMaintenance(recurring, at: rig.moment(0)).get())
        let accepted = rig.engine.addMaintenance(
            MaintenanceWindow(device: "robot-01", from: now - 60, until: now + 10 * year),
            at: rig.moment(0))
        XCTAssertNotNil(try? accepted.get())
    }
}

extension Result {
    var failureReason: RejectReason? {
        if case .failure(let error) = self { return (error as? Rejection)?.reason }
        return nil
    }
}
