import XCTest

@testable import FleetConfig
@testable import FleetCore

/// docs/configuration.md is generated from the key table; the example file stays complete.
final class ConfigurationReferenceTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private func contents(_ relativePath: String) throws -> String {
        try String(contentsOf: Self.repository.appendingPathComponent(relativePath), encoding: .utf8)
    }

    func testTheCommittedReferenceIsWhatTheKeyTableGenerates() throws {
        let committed = try contents("docs/configuration.md")
        let generated = ConfigurationReference.markdown()
        guard committed != generated else { return }
        let a = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let b = generated.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        XCTFail(
            "docs/configuration.md differs from the key table at line \(line + 1); regenerate it with: "
                + ConfigurationReference.regenerate)
    }

    func testTheReferenceNamesEveryKeyOfEveryTable() {
        let text = ConfigurationReference.markdown()
        for key in [
            "mqtt.port", "storage.alert_log_format", "control.socket", "metrics.listen",
            "detection.startup_grace_s", "escalation.group_wait_s", "sla.service_hours", "report.language",
            "kinds.NAME.interval_s", "kinds.NAME.rules[].equals", "sites.NAME.name", "devices[].kind",
        ] {
            XCTAssertTrue(text.contains("| `\(key)` |"), key)
        }
        XCTAssertTrue(text.contains("| `face-gate` | 15 | 3 | yes |"), "built-in kinds come from KindSettings.builtIn")
    }

    /// The example is valid, holds the defaults of the fixed tables and the built-in kinds, and
    /// names every key of the fixed tables (docs/configuration.md says it lists every key with its default).
    func testTheExampleHoldsEveryFixedKeyWithItsDefault() throws {
        let path = Self.repository.appendingPathComponent("examples/fleetwatch.toml").path
        let config = try ConfigurationLoader.load(path: path)
        let defaults = Configuration()
        XCTAssertEqual(config.mqtt, defaults.mqtt)
        XCTAssertEqual(config.storage, defaults.storage)
        XCTAssertEqual(config.control, defaults.control)
        XCTAssertEqual(config.metrics, defaults.metrics)
        XCTAssertEqual(config.detection, defaults.detection)
        XCTAssertEqual(config.escalation, defaults.escalation)
        XCTAssertEqual(config.sla, defaults.sla)
        XCTAssertEqual(config.report, defaults.report)
        XCTAssertEqual(config.kinds, KindSettings.builtIn)
        XCTAssertFalse(config.devices.isEmpty)

        let written = Set(Self.keysWritten(in: try contents("examples/fleetwatch.toml")))
        let fixed = ConfigSchema.root.reference(heading: "", prefix: "", defaults: defaults).flatMap(\.rows)
            .map(\.key).filter { !$0.contains("NAME") && !$0.contains("[]") }
        // Not a count (every feature adds keys): a few that must be among them, so an empty or
        // truncated listing cannot pass the loop below.
        for key in [
            "mqtt.host", "storage.database", "detection.startup_grace_s", "sla.respond_within_s",
            "report.language",
        ] {
            XCTAssertTrue(fixed.contains(key), "the reference lists no \(key)")
        }
        for key in fixed { XCTAssertTrue(written.contains(key), "examples/fleetwatch.toml lacks \(key)") }
    }

    /// `section.key` for every `key = …` line under a plain `[section]` header.
    static func keysWritten(in toml: String) -> [String] {
        var section = ""
        var keys: [String] = []
        for line in toml.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("[") {
                section = line.hasPrefix("[[") ? "" : String(line.dropFirst().prefix { $0 != "]" })
            } else if !section.isEmpty, let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                keys.append(section + "." + line[..<equals].trimmingCharacters(in: .whitespaces))
            }
        }
        return keys
    }
}
