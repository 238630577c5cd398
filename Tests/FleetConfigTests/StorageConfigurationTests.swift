import Foundation
import XCTest

@testable import FleetConfig
@testable import FleetCore

/// `[storage] backend`, `postgres_url`, `postgres_password_file` and `[ha]` (SPEC §15): one
/// fixture per broken value with its exact message; a password never appears in one.
final class StorageConfigurationTests: XCTestCase {
    private func problems(_ toml: String, checkingFiles: Bool = false) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(toml, checkingFiles: checkingFiles)
            XCTFail("the configuration was accepted: \(toml)")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    private static let fixtures: [(toml: String, message: String)] = [
        (
            "[storage]\nbackend = \"mysql\"",
            "config: storage.backend must be \"sqlite\" or \"postgres\" (got \"mysql\")"
        ),
        (
            "[storage]\nbackend = \"postgres\"",
            "config: storage.postgres_url must be set when storage.backend is \"postgres\""
        ),
        (
            "[storage]\npostgres_url = \"mysql://fw:s3cret@db1/fw\"",
            "config: storage.postgres_url must be a postgresql:// URI (the value is not shown: it may hold a password)"
        ),
        (
            "[storage]\npostgres_url = \"postgresql://fw:s3cret@db1/fleet watch\"",
            "config: storage.postgres_url must not contain spaces or control characters (percent-encode them)"
        ),
        ("[storage]\npostgres_url = 5", "config: storage.postgres_url must be a string (got integer)"),
        (
            "[ha]\nenabled = true",
            "config: ha.enabled needs storage.backend = \"postgres\" (nodes share one PostgreSQL database)"
        ),
        ("[ha]\nenabled = \"yes\"", "config: ha.enabled must be true or false (got string)"),
        ("[ha]\nnode = \"db/1\"", "config: ha.node must be 1-64 letters, digits, '.', '_' or '-' (got \"db/1\")"),
        (
            "[ha]\nnode = \"\(String(repeating: "n", count: 65))\"",
            "config: ha.node must be 1-64 letters, digits, '.', '_' or '-' (got \"\(String(repeating: "n", count: 65))\")"
        ),
        ("[ha]\nleader = true", "config: ha.leader is not a known key"),
    ]

    func testEveryBrokenFixtureReportsExactlyItsProblem() {
        for fixture in Self.fixtures {
            XCTAssertEqual(problems(fixture.toml), [fixture.message], fixture.toml)
        }
    }

    func testAPasswordInTheURLIsNeverInAMessage() {
        for fixture in Self.fixtures { XCTAssertFalse(fixture.message.contains("s3cret"), fixture.message) }
    }

    func testAPostgresHAConfigurationLoads() throws {
        let config = try ConfigurationLoader.parse(
            """
            [storage]
            backend = "postgres"
            postgres_url = "postgresql://fleetwatch@db1:5432/fleetwatch?sslmode=require"
            [ha]
            enabled = true
            node = "watch-a.example"
            """)
        XCTAssertEqual(config.storage.backend, .postgres)
        XCTAssertEqual(config.storage.postgresURL, "postgresql://fleetwatch@db1:5432/fleetwatch?sslmode=require")
        XCTAssertEqual(
            config.ha,
            {
                var ha = HASettings()
                ha.enabled = true
                ha.node = "watch-a.example"
                return ha
            }())
        XCTAssertEqual(try ConfigurationLoader.parse("").storage.backend, .sqlite, "SQLite stays the default")
    }

    /// Only the daemon and --check-config read the password file; the CLI never needs it to be readable
    /// by the operator (it is checked only with backend = "postgres").
    func testThePasswordFileIsCheckedWithTheOtherReferencedFiles() throws {
        let toml = """
            [storage]
            backend = "postgres"
            postgres_url = "postgresql://fleetwatch@db1/fleetwatch"
            postgres_password_file = "/nonexistent/pgpass"
            """
        XCTAssertEqual(
            problems(toml, checkingFiles: true),
            ["config: storage.postgres_password_file names /nonexistent/pgpass, which is missing or not readable"])
        XCTAssertNoThrow(try ConfigurationLoader.parse(toml))
        XCTAssertNoThrow(
            try ConfigurationLoader.parse(
                "[storage]\npostgres_password_file = \"/nonexistent\"",
                checkingFiles: true), "unused with sqlite")
    }
}
