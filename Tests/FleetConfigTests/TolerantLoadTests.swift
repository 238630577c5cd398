import XCTest

@testable import FleetConfig
@testable import FleetCore

/// The CLI's load: a problem in a key the CLI does not use is returned, not thrown, so an
/// operator who broke `mqtt.port` (and whose SIGHUP the daemon refused) can still run
/// `fleetwatch status`; a problem in `storage`, `control` or `sla.timezone` still stops it.
final class TolerantLoadTests: XCTestCase {
    /// A file whose needed keys are valid, with `mqtt` and `extra` appended.
    private func file(
        mqtt: String = "", storage: String = "", control: String = "", sla: String = "",
        extra: String = ""
    ) -> String {
        """
        \(extra)
        [mqtt]
        \(mqtt)
        [storage]
        database = "/tmp/fw-tolerant.db"
        alert_log = "/tmp/fw-tolerant.log"
        \(storage)
        [control]
        \(control.isEmpty ? "socket = \"/tmp/fw-tolerant.sock\"" : control)
        [sla]
        \(sla.isEmpty ? "timezone = \"Europe/Berlin\"" : sla)
        """
    }

    private func tolerant(_ toml: String) throws(ConfigurationError) -> TolerantConfiguration {
        try ConfigurationLoader.parse(toml, needing: ConfigurationLoader.keysTheCLINeeds)
    }

    private func blocking(_ toml: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            _ = try tolerant(toml)
            XCTFail("the CLI's load accepted it", file: file, line: line)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// `ha`: the node name picks the status row the CLI shows (SPEC §15).
    func testTheCLINeedsStorageHAControlAndTheTimeZone() {
        XCTAssertEqual(ConfigurationLoader.keysTheCLINeeds, ["storage", "ha", "control", "sla.timezone"])
    }

    func testABrokenKeyTheCLIDoesNotUseIsReturnedWithTheFilesItNeeds() throws {
        let loaded = try tolerant(
            file(
                mqtt: "port = 70000",
                sla: "timezone = \"Europe/Berlin\"\nservice_hours = [\"9-12\"]",
                extra: "bogus = 1"))
        XCTAssertEqual(
            loaded.ignoredProblems.map(\.description),
            [
                "config: mqtt.port must be 1-65535 (got 70000)",
                "config: sla.service_hours has \"9-12\"; use HH:MM-HH:MM with start before end, end up to 24:00",
                "config: bogus is not a known key",
            ])
        XCTAssertEqual(loaded.configuration.storage.database, "/tmp/fw-tolerant.db")
        XCTAssertEqual(loaded.configuration.storage.alertLog, "/tmp/fw-tolerant.log")
        XCTAssertEqual(loaded.configuration.control.socket, "/tmp/fw-tolerant.sock")
        XCTAssertEqual(loaded.configuration.sla.timezone, "Europe/Berlin")
        XCTAssertEqual(loaded.configuration.mqtt.port, 1883, "a broken key keeps its default")
        // The daemon's load refuses the same file.
        XCTAssertThrowsError(try ConfigurationLoader.parse(file(mqtt: "port = 70000")))
    }

    func testAValidFileHasNoIgnoredProblems() throws {
        XCTAssertEqual(try tolerant(file(mqtt: "port = 1884")).ignoredProblems, [])
    }

    func testABrokenKeyTheCLINeedsStopsItAndOnlyThoseAreNamed() {
        XCTAssertEqual(
            blocking(file(mqtt: "port = 0", storage: "alert_log_format = \"xml\"")),
            ["config: storage.alert_log_format must be \"text\" or \"json\" (got \"xml\")"])
        XCTAssertEqual(blocking(file(control: "socket = \"\"")), ["config: control.socket must not be empty"])
        XCTAssertEqual(
            blocking(file(sla: "timezone = \"Mars/Olympus\"")),
            [
                "config: sla.timezone must be an IANA time zone name like Asia/Shanghai "
                    + "(got \"Mars/Olympus\")"
            ])
        XCTAssertEqual(blocking("storage = 5"), ["config: storage must be a table (got integer)"])
    }

    /// A misspelt key inside a needed table may be the path the operator meant: it stops the
    /// CLI rather than letting it read a default database.
    func testAnUnknownKeyInsideANeededTableStopsIt() {
        XCTAssertEqual(
            blocking(file(storage: "databse = \"/tmp/x.db\"")),
            ["config: storage.databse is not a known key"])
    }

    /// Only the key and what is inside it: `storage` does not cover `storage_x`, `sla.timezone`
    /// does not cover `sla.timezones` or the rest of `[sla]`.
    func testNeededKeysMatchWholeKeysOnly() throws {
        let loaded = try tolerant(file(extra: "storage_x = 1"))
        XCTAssertEqual(loaded.ignoredProblems.map(\.key), ["storage_x"])
        let problem = ConfigurationError.Problem(key: "sla.timezones", reason: "r")
        XCTAssertFalse(problem.isWithin("sla.timezone"))
        XCTAssertTrue(ConfigurationError.Problem(key: "kinds.x.rules[0].name", reason: "r").isWithin("kinds.x"))
        XCTAssertTrue(ConfigurationError.Problem(key: "devices[3].id", reason: "r").isWithin("devices"))
    }

    func testASyntaxErrorStopsTheCLIWhateverItNeeds() {
        let found = blocking(file(extra: "[mqtt"))
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found.first?.hasPrefix("config: (syntax) line ") ?? false, "\(found)")
    }
}
