import XCTest

@testable import FleetConfig
@testable import FleetCore

/// The `[sla]` calendar keys the service calendar is built from (found in round 1; the comments
/// describe the code as it was).
final class SLACalendarConfigurationTests: XCTestCase {
    private func problems(_ toml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(toml)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// ConfigurationLoader+Sections.swift `minutes`: `Int("+9")` is 9, so "+9:00" passes the
    /// two-character check and is read as 09:00.
    func testServiceHoursWithASignAreRejected() {
        XCTAssertEqual(
            problems(#"[sla]\#nservice_hours = ["+9:00-12:00"]"#),
            [
                #"config: sla.service_hours has "+9:00-12:00"; use HH:MM-HH:MM with start before end, end up to 24:00"#
            ])
    }

    /// ConfigurationLoader+Sections.swift `isLocalDate`: any day 1-31 passes for any month, so a
    /// holiday that does not exist is accepted silently.
    func testAHolidayThatDoesNotExistIsRejected() {
        XCTAssertEqual(
            problems(#"[sla]\#nholidays = ["2026-02-30"]"#),
            [#"config: sla.holidays has "2026-02-30"; use YYYY-MM-DD"#])
        XCTAssertEqual(
            problems(#"[sla]\#nholidays = ["2026-04-31"]"#),
            [#"config: sla.holidays has "2026-04-31"; use YYYY-MM-DD"#])
        XCTAssertEqual(problems(#"[sla]\#nholidays = ["2028-02-29"]"#), [])
    }
}
