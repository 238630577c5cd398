import XCTest

@testable import FleetCore
@testable import FleetDaemon

/// Golden bodies, one per format (SPEC §14): what a receiver gets, byte for byte.
final class NotificationBodyTests: XCTestCase {
    private let body = NotificationBody(time: TimeFormat(zoneIdentifier: "Asia/Shanghai"))
    /// 2026-11-26T21:30:04.120+08:00
    private let openedAt = 1_795_699_804.12

    private var incident: Incident {
        var incident = Incident(
            id: 123, priority: .p2, rule: .offline, scope: .device, site: "tianshan",
            kind: "delivery-robot", device: "robot-01", openedAt: openedAt,
            respondBy: 1_795_746_604, summary: "no heartbeat for 31.2s (expected every 10s)",
            announced: true)
        incident.onsiteBy = nil
        return incident
    }

    private var open: NotifyMessage {
        let event = AlertEvent(
            sequence: 42, time: openedAt, kind: .open, priority: .p2, incidentID: 123,
            fields: [
                .init("rule", "offline"), .init("site", "tianshan"), .init("kind", "delivery-robot"),
                .init("device", "robot-01"), .init("respond_by", "2026-11-27T10:30:04+08:00"),
                .init("msg", "no heartbeat for 31.2s (expected every 10s)"),
            ])
        return NotifyMessage(
            event, instance: "5eed", incident: incident, siteName: "天山路街道图书馆",
            deviceName: "3F delivery robot")
    }

    func testJSONCarriesTheSpecFieldsInOrderThenTheEventsOthers() {
        XCTAssertEqual(
            body.json(open),
            """
            {"id":"fw-5eed-42","event":"OPEN","incident":"INC-000123","priority":"P2","rule":"offline",\
            "site":"tianshan","kind":"delivery-robot","device":"robot-01","ts":"2026-11-26T21:30:04.120+08:00",\
            "respond_by":"2026-11-27T10:30:04+08:00","onsite_by":null,\
            "msg":"no heartbeat for 31.2s (expected every 10s)","site_name":"天山路街道图书馆",\
            "device_name":"3F delivery robot","summary":"no heartbeat for 31.2s (expected every 10s)"}
            """)
    }

    func testAnSLAWarningKeepsItsOwnFields() {
        let event = AlertEvent(
            sequence: 43, time: openedAt, kind: .slaWarning, priority: .p1, incidentID: 7,
            fields: [
                .init("rule", "site-outage"), .init("site", "tianshan"), .init("sla", "respond"),
                .init("due", "2026-11-27T10:30:04+08:00"),
                .init("msg", "not acknowledged; respond_by in 1800s of service time"),
            ])
        XCTAssertEqual(
            body.json(NotifyMessage(event, instance: "5eed", incident: nil, siteName: nil, deviceName: nil)),
            """
            {"id":"fw-5eed-43","event":"SLA-WARNING","incident":"INC-000007","priority":"P1","rule":"site-outage",\
            "site":"tianshan","kind":null,"device":null,"ts":"2026-11-26T21:30:04.120+08:00","respond_by":null,\
            "onsite_by":null,"msg":"not acknowledged; respond_by in 1800s of service time","sla":"respond",\
            "due":"2026-11-27T10:30:04+08:00","site_name":null,"device_name":null,"summary":null}
            """)
    }

    func testWeComIsARobotMarkdownMessageReadableOnAPhone() {
        XCTAssertEqual(
            body.wecom(open),
            #"{"msgtype":"markdown","markdown":{"content":"**<font color=\"comment\">P2 OPEN</font>** INC-000123\n"#
                + #"> 站点 site: 天山路街道图书馆 (tianshan)\n> 设备 device: 3F delivery robot (robot-01, delivery-robot)\n"#
                + #"> 规则 rule: offline\n> 摘要 summary: no heartbeat for 31.2s (expected every 10s)\n"#
                + #"> 响应时限 respond_by: 2026-11-27 10:30\n> 时间 time: 2026-11-26 21:30"}}"#)
    }

    func testDingTalkHasATitleAndBlankLinesBetweenLines() {
        XCTAssertEqual(
            body.dingtalk(open),
            #"{"msgtype":"markdown","markdown":{"title":"P2 OPEN INC-000123 天山路街道图书馆 offline","#
                + ####""text":"### P2 OPEN INC-000123\n\n**站点 site**: 天山路街道图书馆 (tianshan)\n\n"####
                + #"**设备 device**: 3F delivery robot (robot-01, delivery-robot)\n\n**规则 rule**: offline\n\n"#
                + #"**摘要 summary**: no heartbeat for 31.2s (expected every 10s)\n\n**响应时限 respond_by**: 2026-11-27 10:30\n\n"#
                + #"**时间 time**: 2026-11-26 21:30"}}"#)
    }

    func testAlertmanagerGetsLabelsAnnotationsAndStartsAtAndEndsAtOnlyOnceResolved() {
        let am = AlertmanagerBody(time: TimeFormat(zoneIdentifier: "Asia/Shanghai"))
        XCTAssertEqual(
            am.render([AlertmanagerBody.alert(incident)], siteNames: [:]),
            """
            [{"labels":{"alertname":"offline","incident":"INC-000123","priority":"P2","site":"tianshan",\
            "kind":"delivery-robot","device":"robot-01"},"annotations":{"summary":"no heartbeat for 31.2s \
            (expected every 10s)","respond_by":"2026-11-27T10:30:04+08:00"},"startsAt":"2026-11-26T21:30:04.120+08:00"}]
            """)
        var resolved = incident
        resolved.status = .resolved
        resolved.resolvedAt = openedAt + 60
        XCTAssertEqual(AlertmanagerBody.alert(resolved).endsAt, openedAt + 60)
        XCTAssertTrue(
            am.render([AlertmanagerBody.alert(resolved)], siteNames: ["tianshan": "天山"])
                .hasSuffix(
                    #""site_name":"天山"},"startsAt":"2026-11-26T21:30:04.120+08:00","endsAt":"2026-11-26T21:31:04.120+08:00"}]"#
                ))
    }

    func testALongMessageIsCutWithinTheRobotsLimitAtACharacter() {
        let cut = NotificationBody.cut(String(repeating: "天", count: 3000))
        XCTAssertLessThanOrEqual(cut.utf8.count, 4000)
        XCTAssertTrue(cut.hasSuffix("…"))
    }

    func testARobotsRefusalBehindA200IsAFailure() {
        XCTAssertEqual(
            ChannelSender.robotRefusal(Array(#"{"errcode":93000,"errmsg":"invalid webhook url"}"#.utf8)),
            NotifyFailure("robot answered errcode 93000: invalid webhook url"))
        XCTAssertNil(ChannelSender.robotRefusal(Array(#"{"errcode":0,"errmsg":"ok"}"#.utf8)))
        XCTAssertNil(ChannelSender.robotRefusal(Array("ok".utf8)))
    }

    func testFiltersSelectByEventPriorityAndSite() {
        var channel = NotifyChannelFixtures.webhook
        let open = AlertEvent(time: 0, kind: .open, priority: .p2, incidentID: 1, fields: [.init("site", "tianshan")])
        XCTAssertTrue(channel.wants(open))
        XCTAssertFalse(
            channel.wants(AlertEvent(time: 0, kind: .note, priority: .p2, incidentID: 1, fields: [])),
            "NOTE is not among the default events")
        channel.priorities = [.p1]
        XCTAssertFalse(channel.wants(open))
        channel.priorities = [.p1, .p2]
        channel.sites = ["central"]
        XCTAssertFalse(channel.wants(open))
        channel.sites = ["central", "tianshan"]
        XCTAssertTrue(channel.wants(open))
        let fleet = AlertEvent(
            time: 0, kind: .open, priority: .p1, incidentID: 2, fields: [.init("rule", "fleet-outage")])
        XCTAssertFalse(channel.wants(fleet), "no site: only for channels without a site filter")
    }
}
