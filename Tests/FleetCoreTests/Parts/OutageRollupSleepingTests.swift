import XCTest

@testable import FleetCore

/// SPEC §10: `sleeping` (like `maintenance`) counts in no site, core or fleet ratio.
final class OutageRollupSleepingTests: XCTestCase {
    private func record(_ id: String, _ kind: String, _ state: DeviceState) -> DeviceRecord {
        DeviceRecord(id: id, site: "tianshan", kind: kind, inventory: false, state: state, stateSince: 0)
    }

    private func holding(_ findings: [Finding]) -> [String] {
        findings.compactMap { if case .holds(let p) = $0 { "\(p.rule) \(p.summary)" } else { nil } }
    }

    func testSleepingKiosksCountNowhereSoOneOfTwoGatesDownIsHalfTheSite() {
        var r = OutageRollup(Configuration())
        for device in [
            record("k1", "digital-human", .sleeping), record("k2", "digital-human", .sleeping),
            record("k3", "digital-human", .sleeping), record("g1", "face-gate", .online),
            record("g2", "face-gate", .online),
        ] {
            r.add(device)
        }
        var down = record("g1", "face-gate", .offline)
        r.move(DeviceTransition(slot: 3, from: .online, record: down))
        XCTAssertEqual(
            holding(r.evaluate(site: "tianshan", kind: "face-gate")),
            [
                "site-outage 1 of 2 devices at tianshan offline", "fleet-outage 1 of 2 devices offline",
            ])
        // A kiosk that wakes counts again.
        down = record("k1", "digital-human", .online)
        r.move(DeviceTransition(slot: 0, from: .sleeping, record: down))
        XCTAssertEqual(holding(r.evaluate(site: "tianshan", kind: "face-gate")), [])
    }
}
