import FleetCore
import Foundation
import TOMLKit

/// The one loader the daemon, the CLI and `--check-config` share: TOML text in, a validated
/// `Configuration` out, or every problem at once. What is valid is the key table's business
/// (`ConfigSchema`).
public enum ConfigurationLoader {
    /// What `fleetwatch` (the CLI) reads: where the database, the alert log and the control
    /// socket are, and the zone its times are shown in. A problem in any other key is a warning
    /// for the CLI (the daemon may well be running on the last valid file: SIGHUP refuses a
    /// broken one); a problem in these stops it, because it would read the wrong files or show
    /// every time in the wrong zone.
    public static let keysTheCLINeeds = ["storage", "ha", "control", "sla.timezone"]

    /// The daemon's and `--check-config`'s load: every problem is an error. `checkingFiles`:
    /// also report referenced files (password, TLS) that cannot be read, in the same list.
    public static func load(path: String, checkingFiles: Bool = false) throws(ConfigurationError) -> Configuration {
        try parse(try text(at: path), checkingFiles: checkingFiles)
    }

    public static func parse(_ text: String, checkingFiles: Bool = false) throws(ConfigurationError) -> Configuration {
        let (configuration, problems) = try read(text, checkingFiles: checkingFiles)
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return configuration
    }

    /// A tool's load (the CLI's, with `keysTheCLINeeds`): only problems in `needed` keys (or
    /// inside them) are errors; the others come back with the configuration, whose broken keys
    /// keep their defaults. A file that cannot be read or parsed is an error whatever is needed.
    public static func load(
        path: String, needing needed: [String]
    )
        throws(ConfigurationError) -> TolerantConfiguration
    {
        try parse(try text(at: path), needing: needed)
    }

    public static func parse(
        _ text: String, needing needed: [String]
    )
        throws(ConfigurationError) -> TolerantConfiguration
    {
        let (configuration, problems) = try read(text, checkingFiles: false)
        let blocking = problems.filter { problem in needed.contains { problem.isWithin($0) } }
        guard blocking.isEmpty else { throw ConfigurationError(problems: blocking) }
        return TolerantConfiguration(configuration: configuration, ignoredProblems: problems)
    }

    /// One pass over the file through the key table: the configuration (defaults where a key has
    /// a problem) and every problem, in the table's order. Only unreadable TOML throws.
    static func read(
        _ text: String, checkingFiles: Bool
    ) throws(ConfigurationError)
        -> (Configuration, [ConfigurationError.Problem])
    {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(problems: [
                .init(
                    key: "(syntax)",
                    reason: "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)"
                )
            ])
        } catch {
            throw ConfigurationError(problems: [.init(key: "(syntax)", reason: "\(error)")])
        }
        var problems: [ConfigurationError.Problem] = []
        var configuration = Configuration()
        ConfigSchema.root.read(
            TableReader(root, path: "") { problems.append(.init(key: $0, reason: $1)) },
            into: &configuration)
        if checkingFiles { problems += referencedFileProblems(configuration) }
        return (configuration, problems)
    }

    static func text(at path: String) throws(ConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(problems: [.init(key: path, reason: "cannot be read (missing or no permission)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(problems: [.init(key: path, reason: "is not UTF-8 text")])
        }
        return text
    }
}
