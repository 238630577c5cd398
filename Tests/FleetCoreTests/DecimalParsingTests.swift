import XCTest

@testable import FleetCore

/// The scanner's fast path for short decimals must give exactly what a correct parser gives.
final class DecimalParsingTests: XCTestCase {
    func testShortDecimalsParseExactlyLikeSwift() throws {
        let literals = [
            "36.5", "-0.25", "0.1", "0.3", "123456789.123456", "99.999999999999", "1.000000000000001",
            "-1234.5678", "0.000000000000001", "7.0", "100.10", "-0.0", "1.5e2", "2.5E-3", "12345678901234567.5",
        ]
        for literal in literals {
            let payload = Array("{\"metrics\":{\"x\":\(literal)}}".utf8)
            guard case .success(let beat) = HeartbeatDecoder().decode(payload) else {
                return XCTFail("\(literal) rejected")
            }
            XCTAssertEqual(beat.metric(named: "x"), .number(try XCTUnwrap(Double(literal))), literal)
        }
    }
}
