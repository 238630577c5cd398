import Foundation
import XCTest

/// The `alertmanager` channel against a real Alertmanager (SPEC §14): an open incident appears
/// in its `/api/v2/alerts` with the SPEC's labels and annotations, stays while open (resends),
/// and is resolved there after RESOLVE.
final class AlertmanagerTests: EndToEndTestCase {
    func testAnOpenIncidentIsAnAlertWhileOpenAndResolvedAfterResolve() throws {
        try XCTSkipUnless(
            FileManager.default.isExecutableFile(atPath: TestAlertmanager.executable),
            "prometheus-alertmanager is not installed (scripts/setup installs it)")
        let alertmanager = try TestAlertmanager(directory: directory)
        children.append(alertmanager.process)
        // resolve_timeout in Alertmanager is 5 min: only the explicit endsAt can end it within the test.
        try writeConfig(
            resolveAfter: 60,
            extra: """
                [[notify]]
                name = "am"
                type = "alertmanager"
                url = "\(alertmanager.url)"
                resend_s = 1
                """)
        try startDaemon()
        try broker.publish("library/central/pickup-locker/locker-live/heartbeat", #"{"health":"ok"}"#)
        // Known first: a status alone registers nothing (issue 11).
        try broker.publish("library/tianshan/delivery-robot/robot-01/heartbeat", #"{"health":"ok"}"#)
        XCTAssertTrue(try waitUntil(5) { try self.cli(["devices"]).stdout.contains("robot-01") })
        try broker.publish("library/tianshan/delivery-robot/robot-01/status", "offline", retain: true)

        var alert: [String: Any] = [:]
        XCTAssertTrue(
            try waitUntil(15) {
                alert =
                    try alertmanager.alerts().first { ($0["labels"] as? [String: String])?["incident"] == "INC-000001" }
                    ?? [:]
                return !alert.isEmpty
            })
        let labels = try XCTUnwrap(alert["labels"] as? [String: String])
        XCTAssertEqual(
            labels,
            [
                "alertname": "offline", "incident": "INC-000001", "priority": "P2", "site": "tianshan",
                "kind": "delivery-robot", "device": "robot-01",
            ])
        let annotations = try XCTUnwrap(alert["annotations"] as? [String: String])
        XCTAssertNotNil(annotations["summary"])
        XCTAssertNotNil(annotations["respond_by"])
        XCTAssertEqual((alert["status"] as? [String: Any])?["state"] as? String, "active")
        let startsAt = try XCTUnwrap(alert["startsAt"] as? String)
        let updated = alert["updatedAt"] as? String

        // Kept while open: resent every second (updatedAt moves on), still active.
        XCTAssertTrue(
            try waitUntil(10) {
                let now = try alertmanager.alerts().first {
                    ($0["labels"] as? [String: String])?["incident"] == "INC-000001"
                }
                return now?["updatedAt"] as? String != updated && now?["startsAt"] as? String == startsAt
            })

        XCTAssertEqual(try cli(["resolve", "INC-000001", "--by", "li.wei"]).status, 0)
        XCTAssertTrue(
            try waitUntil(15) {
                !(try alertmanager.alerts().contains {
                    ($0["labels"] as? [String: String])?["incident"] == "INC-000001"
                })
            }, "resolved: no longer among Alertmanager's alerts")
        XCTAssertEqual(try notifyChannel("am")?.failing, false)
    }
}
