import Foundation

/// Where the built `fleetwatchd`, `fleetwatch` and `fleetsim` are: `$FLEETWATCH_BIN`, else next to
/// the test bundle (SwiftPM puts products and the test runner in the same directory).
enum Binaries {
    static let directory: URL = {
        if let env = ProcessInfo.processInfo.environment["FLEETWATCH_BIN"] { return URL(fileURLWithPath: env) }
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../.build/debug")
        let candidates = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            fallback,
        ]
        for c in candidates
        where FileManager.default.isExecutableFile(atPath: c.appendingPathComponent("fleetwatchd").path) {
            return c.standardizedFileURL
        }
        // Not a trap: starting a binary from here then fails with a thrown error naming the path.
        return fallback.standardizedFileURL
    }()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}
