import XCTest

@testable import FleetConfig
@testable import FleetCore

/// The keys of SPEC §11: `[detection]`'s quality window and rule thresholds, and the error catalogs
/// under `[kinds.NAME.error_codes]`.
final class LinkQualityConfigurationTests: XCTestCase {
    private func problems(_ toml: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(toml)
            XCTFail("the configuration was accepted", file: file, line: line)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    func testTheDefaultsAreTheSpecs() throws {
        let detection = try ConfigurationLoader.parse("").detection
        XCTAssertEqual(detection.qualityWindowSeconds, 3600)
        XCTAssertEqual(detection.maxLossRatio, 0.2)
        XCTAssertEqual(detection.minExpected, 20)
        XCTAssertEqual(detection.rebootLimit, 3)
    }

    func testTheKeysAreRead() throws {
        let detection = try ConfigurationLoader.parse(
            """
            [detection]
            quality_window_s = 600.5
            max_loss_ratio = 1
            min_expected = 5
            reboot_limit = 10
            """
        ).detection
        XCTAssertEqual(detection.qualityWindowSeconds, 600.5)
        XCTAssertEqual(detection.maxLossRatio, 1)
        XCTAssertEqual(detection.minExpected, 5)
        XCTAssertEqual(detection.rebootLimit, 10)
    }

    func testAConfiguredCodeReplacesTheBuiltInEntryAndOtherBuiltInCodesStay() throws {
        let config = try ConfigurationLoader.parse(
            #"""
            [kinds.pickup-locker.error_codes]
            E_DOOR_JAM = { text = "door jammed: call the branch" }
            E_SCANNER = { priority = "p2", text = "barcode scanner not responding" }
            E_COIN = { priority = "P1", text = "coin box full" }
            """#)
        let codes = try XCTUnwrap(config.kinds["pickup-locker"]?.errorCodes)
        XCTAssertEqual(codes["E_DOOR_JAM"], ErrorCode("door jammed: call the branch"), "replaced: no priority any more")
        XCTAssertEqual(codes["E_SCANNER"], ErrorCode("barcode scanner not responding", priority: .p2))
        XCTAssertEqual(codes["E_COIN"], ErrorCode("coin box full", priority: .p1))
        XCTAssertEqual(codes["E_LOCK"], KindSettings.builtIn["pickup-locker"]?.errorCodes["E_LOCK"])
        XCTAssertEqual(config.kinds["face-gate"], KindSettings.builtIn["face-gate"], "another kind's catalog stays")
        XCTAssertEqual(config.kinds["pickup-locker"]?.intervalSeconds, 30, "the kind's other keys stay")
    }

    func testACodeWithoutTextIsShownAlone() throws {
        // SPEC §10–§16: every new key has a default; `text` is a description, not what opens the incident.
        let config = try ConfigurationLoader.parse(
            #"""
            [kinds.pickup-locker.error_codes]
            E_X = { priority = "P1" }
            E_DOOR_JAM = { priority = "P2" }
            """#)
        let codes = try XCTUnwrap(config.kinds["pickup-locker"]?.errorCodes)
        XCTAssertEqual(codes["E_X"], ErrorCode("", priority: .p1))
        XCTAssertEqual(codes["E_DOOR_JAM"], ErrorCode("", priority: .p2), "a replaced built-in entry is replaced whole")
    }

    func testAConfiguredKindHasOnlyItsOwnCatalog() throws {
        let config = try ConfigurationLoader.parse(
            #"""
            [kinds.printer]
            interval_s = 60
            [kinds.printer.error_codes]
            E_PAPER = { text = "out of paper" }
            """#)
        XCTAssertEqual(config.kinds["printer"]?.errorCodes, ["E_PAPER": ErrorCode("out of paper")])
    }

    private static let fixtures: [(toml: String, message: String)] = [
        ("[detection]\nquality_window_s = 5", "config: detection.quality_window_s must be 10-604800 (got 5)"),
        ("[detection]\nquality_window_s = 700000", "config: detection.quality_window_s must be 10-604800 (got 700000)"),
        ("[detection]\nquality_window_s = \"1h\"", "config: detection.quality_window_s must be a number (got string)"),
        ("[detection]\nmax_loss_ratio = 0", "config: detection.max_loss_ratio must be > 0 and <= 1 (got 0)"),
        ("[detection]\nmax_loss_ratio = 1.5", "config: detection.max_loss_ratio must be > 0 and <= 1 (got 1.5)"),
        ("[detection]\nmin_expected = 0", "config: detection.min_expected must be 1-1000000 (got 0)"),
        (
            "[detection]\nmin_expected = 2.5",
            "config: detection.min_expected must be an integer (got floating-point number)"
        ),
        ("[detection]\nreboot_limit = 0", "config: detection.reboot_limit must be 1-1000 (got 0)"),
        ("[detection]\nreboot_limit = 1001", "config: detection.reboot_limit must be 1-1000 (got 1001)"),
        (
            "[kinds.pickup-locker.error_codes]\nE_X = { priority = \"P3\", text = \"x\" }",
            "config: kinds.pickup-locker.error_codes.E_X.priority must be \"P1\" or \"P2\" (got \"P3\")"
        ),
        (
            "[kinds.pickup-locker.error_codes]\nE_X = { text = 5 }",
            "config: kinds.pickup-locker.error_codes.E_X.text must be a string (got integer)"
        ),
        (
            "[kinds.pickup-locker.error_codes]\nE_X = { text = \"x\", colour = \"red\" }",
            "config: kinds.pickup-locker.error_codes.E_X.colour is not a known key"
        ),
        (
            "[kinds.pickup-locker.error_codes]\nE_X = \"x\"",
            "config: kinds.pickup-locker.error_codes.E_X must be a table"
        ),
        (
            "[kinds.pickup-locker.error_codes]\n\"E X\" = { text = \"x\" }",
            "config: kinds.pickup-locker.error_codes.E X is not a valid error code ([A-Za-z0-9_-]{1,64})"
        ),
        (
            "[kinds.pickup-locker]\nerror_codes = 3",
            "config: kinds.pickup-locker.error_codes must be a table (got integer)"
        ),
    ]

    func testEveryBrokenFixtureReportsExactlyItsProblem() {
        for fixture in Self.fixtures {
            XCTAssertEqual(problems(fixture.toml), [fixture.message], fixture.toml)
        }
    }

    func testTheReferenceNamesTheKeysAndTheBuiltInCatalogs() {
        let text = ConfigurationReference.markdown()
        for key in [
            "detection.quality_window_s", "detection.max_loss_ratio", "detection.min_expected",
            "detection.reboot_limit", "kinds.NAME.error_codes.CODE.priority", "kinds.NAME.error_codes.CODE.text",
        ] {
            XCTAssertTrue(text.contains("| `\(key)` |"), key)
        }
        XCTAssertTrue(text.contains("| `pickup-locker` | `E_DOOR_JAM` | P1 | a locker door is jammed |"))
    }
}
