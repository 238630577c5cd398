import XCTest

@testable import FleetControl

final class NotifyTestRequestTests: XCTestCase {
    func testNotifyTestGoesOverTheWireByChannelName() throws {
        let line = try ControlRequest.notifyTest(channel: "oncall").encodedLine()
        XCTAssertEqual(line, #"{"channel":"oncall","op":"notify-test"}"# + "\n")
        XCTAssertEqual(try ControlRequest(line: String(line.dropLast())), .notifyTest(channel: "oncall"))
        XCTAssertThrowsError(try ControlRequest(line: #"{"op":"notify-test"}"#)) { error in
            XCTAssertEqual("\(error)", "notify-test needs the channel's name")
        }
    }
}
