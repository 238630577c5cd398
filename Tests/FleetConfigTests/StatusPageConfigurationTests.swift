import FleetCore
import Foundation
import XCTest

@testable import FleetConfig

/// `metrics.bearer_token_file` and `[report] language` (SPEC §16, §13): defaults, the exact
/// message for each broken value, and the token file's checks under `--check-config`.
final class StatusPageConfigurationTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "fleetwatch-token-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func problems(_ text: String, checkingFiles: Bool = false) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(text, checkingFiles: checkingFiles)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    private func tokenFile(_ contents: String) throws -> String {
        let path = directory + "/token-\(UUID().uuidString.prefix(6))"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testDefaultsAreNoTokenAndChinese() throws {
        let config = try ConfigurationLoader.parse("")
        XCTAssertEqual(config.metrics.bearerTokenFile, "")
        XCTAssertEqual(config.report.language, .zhCN)
        XCTAssertEqual(try ConfigurationLoader.parse("[report]\nlanguage = \"en\"").report.language, .en)
    }

    func testEachBrokenValueIsNamedWithItsKey() {
        XCTAssertEqual(
            problems("[report]\nlanguage = \"fr\""),
            ["config: report.language must be \"zh-CN\" or \"en\" (got \"fr\")"])
        XCTAssertEqual(problems("[report]\nlanguage = 1"), ["config: report.language must be a string (got integer)"])
        XCTAssertEqual(problems("[report]\nlang = \"en\""), ["config: report.lang is not a known key"])
        XCTAssertEqual(
            problems("[metrics]\nbearer_token_file = 5"),
            ["config: metrics.bearer_token_file must be a string (got integer)"])
    }

    func testTheTokenFileIsReadAndCheckedWithTheOtherFiles() throws {
        let good = try tokenFile("s3cret-token\n")
        XCTAssertEqual(problems("[metrics]\nbearer_token_file = \"\(good)\"", checkingFiles: true), [])
        XCTAssertEqual(
            try BearerTokenFile.read(good), Array("s3cret-token".utf8), "one trailing newline is not part of it")
        XCTAssertEqual(try BearerTokenFile.read(try tokenFile("abc\r\n")), Array("abc".utf8))
        let missing = directory + "/none"
        XCTAssertEqual(
            problems("[metrics]\nbearer_token_file = \"\(missing)\"", checkingFiles: true),
            ["config: metrics.bearer_token_file names \(missing), which is missing or not readable"])
        XCTAssertEqual(
            problems("[metrics]\nbearer_token_file = \"\(directory)\"", checkingFiles: true),
            ["config: metrics.bearer_token_file names \(directory), which is missing or not readable"])
        let empty = try tokenFile("\n")
        XCTAssertEqual(
            problems("[metrics]\nbearer_token_file = \"\(empty)\"", checkingFiles: true),
            ["config: metrics.bearer_token_file names \(empty), which holds no token (it is empty)"])
        let spaced = try tokenFile("two words\n")
        XCTAssertEqual(
            problems("[metrics]\nbearer_token_file = \"\(spaced)\"", checkingFiles: true),
            [
                "config: metrics.bearer_token_file names \(spaced), whose token has spaces, line breaks or control characters"
            ])
        XCTAssertEqual(
            problems("[metrics]\nbearer_token_file = \"\(missing)\""), [],
            "the CLI does not read the daemon's secrets")
    }
}
