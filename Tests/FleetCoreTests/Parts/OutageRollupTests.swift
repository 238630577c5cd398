import XCTest

@testable import FleetCore

final class OutageRollupTests: XCTestCase {
    private func rollup(_ records: [DeviceRecord]) -> OutageRollup {
        var r = OutageRollup(Configuration())
        for record in records { r.add(record) }
        return r
    }

    private func holding(_ findings: [Finding]) -> [String] {
        findings.compactMap { if case .holds(let p) = $0 { "\(p.rule) \(p.summary)" } else { nil } }
    }

    private func goOffline(_ r: inout OutageRollup, _ record: DeviceRecord) {
        var after = record
        after.state = .offline
        r.move(DeviceTransition(slot: 0, from: record.state, record: after))
    }

    func testHalfOfASiteOfflineIsASiteOutageAndEveryCoreDeviceIsCoreDown() {
        let a = robotRecord("a", state: .online)
        let b = robotRecord("b", state: .online)
        let gate = DeviceRecord(
            id: "g", site: "tianshan", kind: "face-gate", inventory: false, state: .online, stateSince: 0)
        let far = robotRecord("far", site: "jinqiao", state: .online)
        var r = rollup([a, b, gate, far])
        goOffline(&r, a)
        XCTAssertEqual(holding(r.evaluate(site: "tianshan", kind: "delivery-robot")), [])
        goOffline(&r, b)
        XCTAssertEqual(
            holding(r.evaluate(site: "tianshan", kind: "delivery-robot")),
            [
                "site-outage 2 of 3 devices at tianshan offline",
                "core-down every delivery-robot at tianshan offline (2)",
                "fleet-outage 2 of 4 devices offline",
            ])
    }

    func testASiteOfOneDeviceIsNeverASiteOutage() {
        let lone = robotRecord("lone", site: "solo", state: .online)
        var r = rollup([lone] + (0..<3).map { robotRecord("x\($0)", site: "big", state: .online) })
        goOffline(&r, lone)
        let findings = r.evaluate(site: "solo", kind: "delivery-robot")
        XCTAssertFalse(holding(findings).contains { $0.hasPrefix("site-outage") })
        XCTAssertTrue(findings.contains(.cleared(IncidentKey(rule: .siteOutage, scope: .site, site: "solo"))))
    }

    func testDevicesInMaintenanceCountNowhere() {
        let a = robotRecord("a", state: .online)
        let b = robotRecord("b", state: .maintenance)
        let c = robotRecord("c", state: .online)
        var r = rollup([a, b, c])
        goOffline(&r, a)
        // 1 of the 2 counted devices (b is in maintenance): half, so the site is out.
        XCTAssertEqual(
            holding(r.evaluate(site: "tianshan", kind: "delivery-robot")).first,
            "site-outage 1 of 2 devices at tianshan offline")
    }

    func testAReloadThatMakesAKindNonCoreStopsCoreDown() {
        let a = robotRecord("a", state: .offline)
        var r = rollup([a])
        XCTAssertTrue(
            holding(r.evaluate(site: "tianshan", kind: "delivery-robot")).contains { $0.hasPrefix("core-down") })
        var next = Configuration()
        next.kinds["delivery-robot"]?.core = false
        r.configure(next, devices: [a])
        XCTAssertFalse(
            holding(r.evaluate(site: "tianshan", kind: "delivery-robot")).contains { $0.hasPrefix("core-down") })
    }
}
