import XCTest

@testable import FleetCore

final class IncidentLabelTests: XCTestCase {
    func testLabelsArePaddedToSixDigitsAndParseBack() {
        XCTAssertEqual(Incident.label(123), "INC-000123")
        XCTAssertEqual(Incident.label(1_234_567), "INC-1234567")
        XCTAssertEqual(Incident.parseLabel("INC-000123"), 123)
        XCTAssertEqual(Incident.parseLabel("inc-7"), 7)
        XCTAssertEqual(Incident.parseLabel("42"), 42)
        XCTAssertNil(Incident.parseLabel("INC-0"))
        XCTAssertNil(Incident.parseLabel("INC-"))
        XCTAssertNil(Incident.parseLabel("MW-1"))
    }

    /// Incident.swift `parseLabel`: `Int64("+5")` accepts a sign, so "INC-+5" names INC-000005.
    func testAnIncidentLabelWithASignIsNotAnId() {
        XCTAssertNil(Incident.parseLabel("INC-+5"))
        XCTAssertNil(Incident.parseLabel("+5"))
    }
}
