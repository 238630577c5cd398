import Foundation
import XCTest

/// The guides cannot show a command that no longer works: every shell block marked
/// `<!-- runnable -->` in the README and docs/ is run here, line by line, against a live daemon,
/// with the guide's incident and maintenance-window ids replaced by live ones. Also: the
/// generated configuration reference is what `fleetwatchd --print-config-reference` prints, and
/// the example configuration passes `--check-config`.
final class DocumentedCommandTests: EndToEndTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let guides = [
        "README.md", "docs/operators.md", "docs/operators.zh-CN.md", "docs/installing.md",
        "docs/rules.md", "docs/architecture.md",
    ]

    /// The command lines of every fenced `sh` block that follows a `<!-- runnable -->` line. A
    /// runnable command must end by itself (`tail -n 20`, not `tail -f`).
    static func runnableCommands(in markdown: String) -> [String] {
        var commands: [String] = []
        var marked = false
        var inside = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if inside {
                if text.hasPrefix("```") {
                    inside = false
                } else if !text.isEmpty && !text.hasPrefix("#") {
                    commands.append(text)
                }
            } else if text == "<!-- runnable -->" {
                marked = true
            } else if marked && text == "```sh" {
                inside = true
                marked = false
            } else if !text.isEmpty {
                marked = false
            }
        }
        return commands
    }

    func testTheMarkerFindsOnlyMarkedShellBlocks() {
        let text =
            "```sh\nnot-me\n```\n<!-- runnable -->\n```sh\n# comment\nfleetwatch status\n\nfleetwatch x\n```\n"
            + "<!-- runnable -->\nprose\n```sh\nnot-me-either\n```\n"
        XCTAssertEqual(Self.runnableCommands(in: text), ["fleetwatch status", "fleetwatch x"])
    }

    func testEveryRunnableCommandInTheGuidesRuns() throws {
        try writeConfig(
            grace: 1,
            extra: """
                [sites.tianshan]
                name = "天山路街道图书馆"
                [sites.central]
                name = "Central Library"
                """)
        try startDaemon()
        // Both sites the guides name must be known to the daemon.
        try broker.publish("library/central/face-gate/gate-01/heartbeat", #"{"health":"ok"}"#)

        var ran = 0
        for guide in Self.guides {
            let text = try String(contentsOf: Self.repository.appendingPathComponent(guide), encoding: .utf8)
            let commands = Self.runnableCommands(in: text)
            guard !commands.isEmpty else { continue }
            let incident = try openIncident(for: guide)
            var window = "MW-0"
            for command in commands {
                let line =
                    command
                    .replacingOccurrences(of: #"INC-[0-9]{6}"#, with: incident, options: .regularExpression)
                    .replacingOccurrences(of: #"MW-[0-9]+"#, with: window, options: .regularExpression)
                let result = try run(line)
                XCTAssertEqual(result.status, 0, "\(guide): \(line)\n\(result.stdout)\n\(result.stderr)")
                if line.contains("maintenance add"),
                    let id = result.stdout.range(of: #"MW-[0-9]+"#, options: .regularExpression)
                {
                    window = String(result.stdout[id])
                }
                ran += 1
            }
            try removeMaintenanceWindows()
        }
        XCTAssertGreaterThanOrEqual(ran, 25, "the guides' runnable blocks were found")
    }

    /// A fresh open incident for each guide (each walks one through ack → resolve): a locker at
    /// tianshan that reports a fault.
    private func openIncident(for guide: String) throws -> String {
        let device =
            "locker-"
            + String(
                guide.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }
                    .map(Character.init)
            ).lowercased().prefix(40)
        try broker.publish("library/tianshan/pickup-locker/\(device)/heartbeat", #"{"health":"fault"}"#)
        var id: String?
        _ = try waitUntil(8) {
            id = try incidents().first { $0["device"] as? String == device }?["id"] as? String
            return id != nil
        }
        return try XCTUnwrap(id, "no incident for \(device)")
    }

    /// One line through `sh`, from the repository root, with the built binaries first on PATH and
    /// this test's configuration as the default.
    private func run(_ line: String) throws -> CommandResult {
        let path = Binaries.directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try runCommand(
            "/bin/sh", ["-c", "cd '\(Self.repository.path)' && \(line)"],
            environment: ["PATH": path, "FLEETWATCH_CONFIG": configPath])
    }

    /// Ends every window a guide left (silencing tianshan for the night would keep the next
    /// guide's incident from opening).
    private func removeMaintenanceWindows() throws {
        let listing = try cli(["maintenance", "list", "--json"])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let ids = listing.stdout.matches(of: /MW-[0-9]+/).map { String($0.output) }
        for id in Set(ids) { XCTAssertEqual(try cli(["maintenance", "remove", id]).status, 0, id) }
    }

    /// Every relative link between the guides reaches a file and, with `#…`, a heading of it; the
    /// README reaches the demo and "how do I silence a branch for the night" in two clicks.
    func testLinksBetweenTheGuidesResolve() throws {
        let documents = Self.guides + ["docs/configuration.md", "docs/benchmarks.md"]
        var checked = 0
        for document in documents {
            let url = Self.repository.appendingPathComponent(document)
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: /\]\(([^)\s]+)\)/) {
                let link = String(match.output.1)
                guard !link.hasPrefix("http") else { continue }
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target =
                    parts[0].isEmpty
                    ? url
                    : url.deletingLastPathComponent().appendingPathComponent(parts[0])
                        .standardizedFileURL
                // SPEC.md lives beside the repository (../shared), not in it.
                guard target.path.hasPrefix(Self.repository.standardizedFileURL.path) else { continue }
                XCTAssertTrue(FileManager.default.fileExists(atPath: target.path), "\(document): \(link)")
                if parts.count == 2, let targetText = try? String(contentsOf: target, encoding: .utf8) {
                    XCTAssertTrue(Self.anchors(in: targetText).contains(parts[1]), "\(document): \(link)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20)
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains("scripts/demo"))
        XCTAssertTrue(readme.contains("](docs/operators.md#silence-a-branch-for-the-night)"))
    }

    /// GitHub's heading anchors: lower case, letters, digits, `-` and `_` kept, spaces as `-`.
    static func anchors(in markdown: String) -> Set<String> {
        var out: Set<String> = []
        for line in markdown.split(separator: "\n") where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            out.insert(
                String(
                    title.lowercased().compactMap { c -> Character? in
                        c == " " ? "-" : (c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil)
                    }))
        }
        return out
    }

    func testTheConfigurationReferenceIsWhatTheDaemonPrints() throws {
        let printed = try runCommand(Binaries.path("fleetwatchd"), ["--print-config-reference"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let committed = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/configuration.md"),
            encoding: .utf8)
        XCTAssertEqual(
            printed.stdout, committed,
            "regenerate: swift run fleetwatchd --print-config-reference > docs/configuration.md")
        let usage = try runCommand(Binaries.path("fleetwatchd"), [])
        XCTAssertEqual(usage.status, 2, "--config is still required to run")
        XCTAssertTrue(usage.stderr.contains("--config"), usage.stderr)
    }

    func testTheExampleConfigurationPassesCheckConfig() throws {
        let example = Self.repository.appendingPathComponent("examples/fleetwatch.toml").path
        let result = try runCommand(Binaries.path("fleetwatchd"), ["--config", example, "--check-config"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("configuration is valid (3 inventory devices, 4 kinds)"), result.stdout)
    }
}
