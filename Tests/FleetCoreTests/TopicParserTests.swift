import XCTest

@testable import FleetCore

final class TopicParserTests: XCTestCase {
    private let parser = TopicParser(prefix: "library")

    private func parse(_ topic: String, with parser: TopicParser? = nil) -> Result<DeviceTopic, Rejection> {
        let p = parser ?? self.parser
        return Array(topic.utf8).withUnsafeBufferPointer { p.parse($0) }
    }

    private func assertRejected(
        _ topic: String, with parser: TopicParser? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        switch parse(topic, with: parser) {
        case .success(let t): XCTFail("\(topic) was accepted as \(t)", file: file, line: line)
        case .failure(let r): XCTAssertEqual(r.reason, .badTopic, topic, file: file, line: line)
        }
    }

    func testHeartbeatTopicNamesSiteKindAndDevice() throws {
        let topic = try parse("library/tianshan/delivery-robot/robot-01/heartbeat").get()
        XCTAssertEqual(
            topic,
            DeviceTopic(
                site: "tianshan", kind: "delivery-robot", device: "robot-01",
                channel: .heartbeat))
    }

    func testStatusTopicIsTheStatusChannel() throws {
        let topic = try parse("library/central/pickup-locker/Locker_7/status").get()
        XCTAssertEqual(topic, DeviceTopic(site: "central", kind: "pickup-locker", device: "Locker_7", channel: .status))
    }

    func testKindIsNotCheckedAgainstTheConfigurationByTheParser() throws {
        XCTAssertEqual(try parse("library/s/teapot/t1/heartbeat").get().kind, "teapot")
    }

    func testTopicsOutsideThePrefixAreRejected() {
        assertRejected("other/tianshan/delivery-robot/robot-01/heartbeat")
        assertRejected("librar/tianshan/delivery-robot/robot-01/heartbeat")
        assertRejected("libraryX/tianshan/delivery-robot/robot-01/heartbeat")
        assertRejected("Library/tianshan/delivery-robot/robot-01/heartbeat")
        assertRejected("/library/tianshan/delivery-robot/robot-01/heartbeat")
        assertRejected("library")
        assertRejected("library/")
        assertRejected("")
    }

    func testWrongSegmentCountsAreRejected() {
        assertRejected("library/tianshan/robot-01/heartbeat")
        assertRejected("library/tianshan/delivery-robot/robot-01")
        assertRejected("library/tianshan/delivery-robot/robot-01/extra/heartbeat")
        assertRejected("library/tianshan/delivery-robot/robot-01/heartbeat/")
        assertRejected("library/heartbeat")
    }

    func testEmptySegmentsAreRejected() {
        assertRejected("library//delivery-robot/robot-01/heartbeat")
        assertRejected("library/tianshan//robot-01/heartbeat")
        assertRejected("library/tianshan/delivery-robot//heartbeat")
        assertRejected("library/tianshan/delivery-robot/robot-01/")
    }

    func testCharactersOutsideTheIdentifierSetAreRejected() {
        for bad in ["robot.01", "robot 01", "robot+", "robot#", "robot$", "机器人", "robot\u{0}", "r*"] {
            assertRejected("library/tianshan/delivery-robot/\(bad)/heartbeat")
            assertRejected("library/\(bad)/delivery-robot/robot-01/heartbeat")
            assertRejected("library/tianshan/\(bad)/robot-01/heartbeat")
        }
    }

    func testIdentifiersOf64CharactersAreAcceptedAnd65Rejected() throws {
        let id64 = String(repeating: "a", count: 63) + "Z"
        let id65 = id64 + "9"
        XCTAssertEqual(try parse("library/tianshan/delivery-robot/\(id64)/heartbeat").get().device, id64)
        XCTAssertEqual(try parse("library/\(id64)/delivery-robot/robot-01/heartbeat").get().site, id64)
        assertRejected("library/tianshan/delivery-robot/\(id65)/heartbeat")
        assertRejected("library/\(id65)/delivery-robot/robot-01/heartbeat")
        assertRejected("library/tianshan/\(id65)/robot-01/heartbeat")
    }

    func testOneCharacterIdentifiersAreAccepted() throws {
        XCTAssertEqual(
            try parse("library/s/k/d/status").get(),
            DeviceTopic(site: "s", kind: "k", device: "d", channel: .status))
    }

    func testUnknownChannelsAreRejected() {
        assertRejected("library/tianshan/delivery-robot/robot-01/metrics")
        assertRejected("library/tianshan/delivery-robot/robot-01/Heartbeat")
        assertRejected("library/tianshan/delivery-robot/robot-01/heartbeats")
        assertRejected("library/tianshan/delivery-robot/robot-01/statu")
    }

    func testAPrefixContainingASlashIsMatchedAsAWhole() throws {
        let district = TopicParser(prefix: "district/library")
        let topic = try parse("district/library/tianshan/face-gate/gate-2/heartbeat", with: district).get()
        XCTAssertEqual(topic, DeviceTopic(site: "tianshan", kind: "face-gate", device: "gate-2", channel: .heartbeat))
        assertRejected("district/tianshan/face-gate/gate-2/heartbeat", with: district)
        assertRejected("library/tianshan/face-gate/gate-2/heartbeat", with: district)
        assertRejected("district/library/x/tianshan/face-gate/gate-2/heartbeat", with: district)
    }

    func testTheDaemonsOwnStateTopicIsRecognisedAndIsNotADeviceTopic() {
        let own = Array("library/$fleetwatch/state".utf8)
        XCTAssertTrue(own.withUnsafeBufferPointer { parser.isOwnTopic($0) })
        assertRejected("library/$fleetwatch/state")
        let device = Array("library/tianshan/delivery-robot/robot-01/status".utf8)
        XCTAssertFalse(device.withUnsafeBufferPointer { parser.isOwnTopic($0) })
        let district = TopicParser(prefix: "district/library")
        let districtOwn = Array("district/library/$fleetwatch/state".utf8)
        XCTAssertTrue(districtOwn.withUnsafeBufferPointer { district.isOwnTopic($0) })
    }

    /// SPEC §15: each HA node's role topic is the daemons' own too, not a device's to reject.
    func testAnHANodesRoleTopicIsOwnAndAnythingElseIsNot() {
        for topic in ["library/$fleetwatch/nodes/watch-a", "library/$fleetwatch/state"] {
            XCTAssertTrue(Array(topic.utf8).withUnsafeBufferPointer { parser.isOwnTopic($0) }, topic)
        }
        for topic in [
            "library/$fleetwatch/", "library/$fleetwatch", "librar/$fleetwatch/state",
            "other/$fleetwatch/state", "library/tianshan/face-gate/gate-2/heartbeat",
        ] {
            XCTAssertFalse(Array(topic.utf8).withUnsafeBufferPointer { parser.isOwnTopic($0) }, topic)
        }
    }

    func testIdentifierValidationOnStrings() {
        XCTAssertTrue(TopicParser.isValidIdentifier("robot_01-A"))
        XCTAssertFalse(TopicParser.isValidIdentifier(""))
        XCTAssertFalse(TopicParser.isValidIdentifier("é"))
        XCTAssertTrue(TopicParser.isValidIdentifier(String(repeating: "x", count: 64)))
        XCTAssertFalse(TopicParser.isValidIdentifier(String(repeating: "x", count: 65)))
    }
}
