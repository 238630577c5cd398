import Foundation
import XCTest

/// The SLA clocks of SPEC §6 through the daemon: service days, P1 on-site time counted in
/// service time and P2 in wall time, and an acknowledgement or arrival that prevents a breach.
final class SLATests: EndToEndTestCase {
    let zone = TimeZone(identifier: "Asia/Shanghai") ?? .current

    var localCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// `2026-11-27T01:00:00+08:00` for a local date-time.
    func rfc3339(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }

    /// Skips a test whose expected deadlines depend on the local date when the run is so close
    /// to a local hour boundary that the date or hour could change under it.
    func skipNearTheHour() throws {
        let minute = localCalendar.component(.minute, from: Date())
        try XCTSkipIf(minute >= 58, "too close to a local hour boundary for date arithmetic; run again")
    }

    func inventory(_ ids: [String]) -> String {
        ids.enumerated().map { n, id in
            "[[devices]]\nid = \"\(id)\"\nsite = \"site-\(n)\"\nkind = \"pickup-locker\"\n"
        }.joined(separator: "\n")
    }

    /// `service_days` without today: an incident opened now has no service time until tomorrow
    /// 00:00, so its hour of respond time ends tomorrow at 01:00 local.
    func testServiceDaysWithoutTodayPushTheRespondDeadlineToTomorrow() throws {
        try skipNearTheHour()
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        let today = days[localCalendar.component(.weekday, from: Date()) - 1]
        let others = days.filter { $0 != today }.map { "\"\($0)\"" }.joined(separator: ", ")
        try writeConfig(
            grace: 1,
            extra: """
                [sla]
                timezone = "Asia/Shanghai"
                service_days = [\(others)]
                service_hours = ["00:00-24:00"]
                respond_within_s = 3600

                \(inventory(["locker-1"]))
                """)
        try startDaemon()
        XCTAssertTrue(try waitUntil(8) { try openIncidents().count == 1 })
        let tomorrow = try XCTUnwrap(
            localCalendar.date(byAdding: .day, value: 1, to: localCalendar.startOfDay(for: Date())))
        let expected = rfc3339(tomorrow.addingTimeInterval(3600))
        XCTAssertEqual(try openIncidents().first?.respondBy, expected)
        XCTAssertEqual(try alerts(event: "OPEN").first?.fields["respond_by"], expected)
    }

    /// Now is outside the service hours (a one-hour range starting two hours from now). A P1's
    /// on-site deadline is service time (the range's start + 600 s); a P2's is wall time
    /// (dispatch + 2 s), so the P2 breaches within seconds and the P1 does not.
    func testP1OnsiteIsCountedInServiceTimeAndP2InWallTime() throws {
        try skipNearTheHour()
        let hour = localCalendar.component(.hour, from: Date())
        let start = (hour + 2) % 24
        let range = String(format: "%02d:00-%02d:00", start, start + 1)
        try writeConfig(
            grace: 1, kinds: ["face-gate": ""],
            extra: """
                [[kinds.face-gate.rules]]
                name = "camera-down"
                metric = "camera_ok"
                equals = false
                for_s = 0
                priority = "P1"

                [sla]
                timezone = "Asia/Shanghai"
                service_hours = ["\(range)"]
                respond_within_s = 600
                p1_onsite_within_s = 600
                p2_onsite_within_s = 2

                \(inventory(["locker-1"]))
                """)
        try startDaemon()
        try broker.publish("library/north/face-gate/gate-1/heartbeat", #"{"metrics":{"camera_ok":false}}"#)
        try broker.publish("library/south/face-gate/gate-2/heartbeat", #"{"metrics":{"camera_ok":true}}"#)
        XCTAssertTrue(try waitUntil(8) { try openIncidents().map(\.priority).sorted() == ["P1", "P2"] })
        let p1 = try XCTUnwrap(try openIncidents().first { $0.priority == "P1" })
        let p2 = try XCTUnwrap(try openIncidents().first { $0.priority == "P2" })
        var serviceStart = try XCTUnwrap(localCalendar.date(bySettingHour: start, minute: 0, second: 0, of: Date()))
        if serviceStart < Date() {
            serviceStart = try XCTUnwrap(localCalendar.date(byAdding: .day, value: 1, to: serviceStart))
        }
        let dueInService = rfc3339(serviceStart.addingTimeInterval(600))
        XCTAssertEqual(p1.respondBy, dueInService)
        XCTAssertEqual(p2.respondBy, dueInService, "respond time is service time for both")
        for id in [p1.id, p2.id] { XCTAssertEqual(try cli(["dispatch", id, "--by", "li.wei"]).status, 0) }
        let dispatchedAt = Date()
        let p1Onsite = try XCTUnwrap(try openIncidents().first { $0.id == p1.id }?.onsiteBy)
        let p2Onsite = try XCTUnwrap(try openIncidents().first { $0.id == p2.id }?.onsiteBy)
        XCTAssertEqual(p1Onsite, dueInService, "P1 on-site: 600 s of service time")
        let p2Due = try XCTUnwrap(ISO8601DateFormatter().date(from: p2Onsite))
        XCTAssertEqual(p2Due.timeIntervalSince(dispatchedAt), 2, accuracy: 1.5, "P2 on-site: 2 s of wall time")
        XCTAssertTrue(waitUntil(10) { !alertLines(event: "SLA-BREACH").isEmpty })
        try waitForEngineTurns()
        let breaches = try alerts(event: "SLA-BREACH")
        XCTAssertEqual(breaches.map { "\($0.incident) \($0.fields["sla"] ?? "-")" }, ["\(p2.id) onsite"])
    }

    /// respond_within_s and p2_onsite_within_s 4 s, service time all day: an acknowledged
    /// incident never breaches `respond`, an arrived one never breaches `onsite`. The two
    /// incidents left alone do breach, so the check runs after the deadlines have passed.
    func testAnAcknowledgementOrAnArrivalInTimePreventsTheBreach() throws {
        try writeConfig(
            grace: 1,
            extra: """
                [sla]
                timezone = "Asia/Shanghai"
                service_hours = ["00:00-24:00"]
                respond_within_s = 4
                p2_onsite_within_s = 4

                \(inventory(["locker-acked", "locker-ignored", "locker-arrived", "locker-waited"]))
                """)
        try startDaemon()
        try broker.publish("library/site-live/face-gate/gate-live/heartbeat", #"{"seq":1}"#)  // not the whole fleet
        XCTAssertTrue(try waitUntil(8) { try openIncidents().count == 4 })
        let ids = Dictionary(
            try openIncidents().map { ($0.device ?? "-", $0.id) }, uniquingKeysWith: { first, _ in first })
        func run(_ arguments: [String]) throws {
            let result = try cli(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
        }
        for device in ["locker-acked", "locker-arrived", "locker-waited"] {
            try run(["ack", try XCTUnwrap(ids[device]), "--by", "li.wei"])
        }
        for device in ["locker-arrived", "locker-waited"] {
            try run(["dispatch", try XCTUnwrap(ids[device]), "--by", "li.wei"])
        }
        try run(["arrive", try XCTUnwrap(ids["locker-arrived"]), "--by", "zhang.min"])
        XCTAssertTrue(
            waitUntil(15) { alertLines(event: "SLA-BREACH").count == 2 }, alertLines().joined(separator: "\n"))
        try waitForEngineTurns()
        let breaches = Set(try alerts(event: "SLA-BREACH").map { "\($0.incident) \($0.fields["sla"] ?? "-")" })
        XCTAssertEqual(
            breaches,
            ["\(try XCTUnwrap(ids["locker-ignored"])) respond", "\(try XCTUnwrap(ids["locker-waited"])) onsite"])
    }
}
