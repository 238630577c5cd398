import FleetCore
import XCTest

@testable import FleetReport

/// Risks and recommendations are derived from the figures and name their evidence.
final class FindingsTests: XCTestCase {
    typealias F = ReportFixture

    /// Four camera faults on one gate: a risk and a recommendation that name the gate, its
    /// branch's display name, the count, the rule, the action and the incidents.
    func testRepeatedCameraFaultsRecommendReplacingTheCameraModule() throws {
        var f = ReportFixture()
        f.device("gate-03")
        for n in 0..<4 {
            f.incident(
                Int64(20 + n), rule: "camera-down", device: "gate-03", opened: "2026-11-0\(n + 2) 10:00",
                acknowledged: "2026-11-0\(n + 2) 10:10", resolved: "2026-11-0\(n + 2) 11:00")
        }
        let r = f.report
        let risk = try XCTUnwrap(r.risks.first { $0.kind == .repeatedFailure })
        XCTAssertEqual(risk.device, "gate-03")
        XCTAssertEqual(risk.evidence, ["INC-000020", "INC-000021", "INC-000022", "INC-000023"])
        let text = try XCTUnwrap(r.recommendations.first { $0.text.contains("gate-03") }).text
        XCTAssertEqual(
            text,
            "gate-03 at 天山路街道图书馆: 4 camera-down faults in the period "
                + "(INC-000020, INC-000021, INC-000022 and 1 more) → inspect or replace the camera module")
        XCTAssertEqual(try XCTUnwrap(r.recommendations.first { $0.text.contains("gate-03") }).evidence, risk.evidence)
        f.language = .zhCN
        let zh = try XCTUnwrap(f.report.recommendations.first { $0.text.contains("gate-03") }).text
        XCTAssertTrue(zh.hasPrefix("gate-03（天山路街道图书馆）：本期 4 次摄像头故障"), zh)
        XCTAssertTrue(zh.hasSuffix("→ 检修或更换摄像头模组"), zh)
    }

    func testTwoFaultsAreNotARepeatedFailure() {
        var f = ReportFixture()
        f.device("gate-03")
        f.incident(1, rule: "camera-down", device: "gate-03", opened: "2026-11-02 10:00", resolved: "2026-11-02 11:00")
        f.incident(2, rule: "camera-down", device: "gate-03", opened: "2026-11-03 10:00", resolved: "2026-11-03 11:00")
        XCTAssertFalse(f.report.risks.contains { $0.kind == .repeatedFailure })
    }

    /// A forecast still open at the end of the period (its OPEN line carries eta=).
    func testAnOpenForecastIsARiskWithItsETA() throws {
        var f = ReportFixture()
        f.device("robot-01", kind: "delivery-robot")
        f.incident(5, rule: "battery-forecast", device: "robot-01", opened: "2026-11-30 20:00")
        f.event(5, .open, at: "2026-11-30 20:00", [("eta", "2026-11-30T20:40:00+08:00")])
        let risk = try XCTUnwrap(f.report.risks.first { $0.kind == .forecast })
        XCTAssertEqual(risk.rule, "battery-forecast")
        XCTAssertEqual(risk.evidence, ["INC-000005"])
        XCTAssertTrue(risk.text.contains("2026-11-30 20:40"), risk.text)
        XCTAssertTrue(risk.plan.contains("battery"), risk.plan)
    }

    /// Firmware spread per kind: the newest by version order (2.10 after 2.9), the devices behind it.
    func testDevicesBehindTheNewestFirmwareOfTheirKindAreNamed() throws {
        var f = ReportFixture()
        f.device("gate-01", firmware: "2.10.0")
        f.device("gate-02", firmware: "2.9.3")
        f.device("gate-03", firmware: "2.9.3")
        f.device("robot-01", kind: "delivery-robot", firmware: "1.0")
        let risk = try XCTUnwrap(f.report.risks.first { $0.kind == .firmware })
        XCTAssertEqual(risk.evidence, ["gate-02", "gate-03"])
        XCTAssertEqual(risk.text, "face-gate: 2 of 3 devices run firmware older than 2.10.0 (2.9.3 ×2)")
        XCTAssertEqual(f.report.risks.filter { $0.kind == .firmware }.count, 1, "one version of robots: no risk")
    }

    func testNeverHeardAndClockSkewedDevicesAreRisks() throws {
        var f = ReportFixture()
        f.device("gate-01", initial: "unknown", lastSeen: nil)
        f.device("gate-02", clockSkewed: true)
        let r = f.report
        XCTAssertEqual(try XCTUnwrap(r.risks.first { $0.kind == .neverHeard }).evidence, ["gate-01"])
        XCTAssertEqual(try XCTUnwrap(r.risks.first { $0.kind == .clockSkew }).evidence, ["gate-02"])
        XCTAssertTrue(r.recommendations.contains { $0.text.contains("NTP") })
    }

    func testMissedResponsesRecommendWatchingTheAlertsAndNameTheIncidents() throws {
        var f = ReportFixture()
        f.incident(2, opened: "2026-11-03 14:00", acknowledged: "2026-11-03 16:30")
        f.event(2, .slaBreach, at: "2026-11-03 16:00", [("sla", "respond")])
        let first = try XCTUnwrap(f.report.recommendations.first)
        XCTAssertTrue(
            first.text.hasPrefix("1 fault was not acknowledged within the response time (INC-000002)"),
            first.text)
        XCTAssertEqual(first.evidence, ["INC-000002"])
    }

    /// A site below 99% gets a recommendation naming the device that cost it most.
    func testAWeakSiteIsToldWhichDeviceToStartWith() throws {
        var f = ReportFixture()
        f.device("gate-01", [("2026-11-02 09:00", "offline"), ("2026-11-06 09:00", "online")])
        f.device("gate-02")
        let text = try XCTUnwrap(f.report.recommendations.first { $0.text.hasPrefix("天山路街道图书馆: availability") }).text
        XCTAssertTrue(text.contains("start with gate-01"), text)
    }

    func testAQuietMonthStillRecommendsSomething() {
        var f = ReportFixture()
        f.device("gate-01")
        let r = f.report
        XCTAssertTrue(r.risks.isEmpty)
        XCTAssertEqual(r.recommendations.count, 1)
        XCTAssertTrue(r.recommendations[0].text.hasPrefix("Operation was steady"))
    }

    /// Twenty devices with repeated faults and twelve branches with outages: the first of each
    /// one by one, the rest in one line that still names them.
    func testManyOfTheSameFindingAreSummedUpInOneLine() throws {
        var f = ReportFixture()
        var id: Int64 = 1
        for n in 0..<20 {
            for day in 2...4 {
                f.incident(id, device: "gate-\(n)", opened: "2026-11-0\(day) 10:00", resolved: "2026-11-0\(day) 11:00")
                id += 1
            }
        }
        for n in 0..<12 {
            f.incident(
                id, rule: .siteOutage, priority: .p1, scope: .site, site: "branch-\(n)", device: nil,
                opened: "2026-11-10 10:00", resolved: "2026-11-10 11:00")
            id += 1
        }
        let r = f.report
        let repeated = r.risks.filter { $0.kind == .repeatedFailure }
        XCTAssertEqual(repeated.count, Findings.perDeviceLimit + 1)
        XCTAssertTrue(
            try XCTUnwrap(repeated.last).text.hasPrefix("8 more of the same kind: "), repeated.last?.text ?? "")
        let outages = r.recommendations.filter { $0.text.contains("branch-wide outage") }
        XCTAssertEqual(outages.count, Findings.recommendationLimit + 1)
        XCTAssertTrue(try XCTUnwrap(outages.last).text.hasPrefix("4 more branches had branch-wide outages: "))
        XCTAssertEqual(try XCTUnwrap(outages.last).evidence.count, 4)
    }

    func testFirmwareVersionsCompareAsPeopleReadThem() {
        XCTAssertTrue(FirmwareVersion.isOlder("2.9", than: "2.10"))
        XCTAssertTrue(FirmwareVersion.isOlder("1.2.3", than: "1.2.4"))
        XCTAssertFalse(FirmwareVersion.isOlder("1.10", than: "1.9.9"))
        XCTAssertTrue(FirmwareVersion.isOlder("v1.2", than: "v1.2.1"))
        XCTAssertFalse(FirmwareVersion.isOlder("3.0", than: "3.0"))
    }
}
