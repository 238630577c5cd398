import Foundation

/// A real Alertmanager (Debian's `prometheus-alertmanager`, PITFALLS.md) on a free loopback
/// port with a minimal configuration and no gossip, stopped by PID when the test ends.
final class TestAlertmanager {
    static let executable = "/usr/bin/prometheus-alertmanager"
    let port: Int
    let process: ChildProcess

    init(directory: String) throws {
        port = freePort()
        let config = directory + "/alertmanager.yml"
        try """
        route:
          receiver: "null"
        receivers:
          - name: "null"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            atPath: directory + "/alertmanager-data", withIntermediateDirectories: true)
        process = try ChildProcess(
            name: "alertmanager", executable: Self.executable,
            arguments: [
                "--config.file=\(config)", "--storage.path=\(directory)/alertmanager-data",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
            ],
            logPath: directory + "/alertmanager.log")
        guard waitUntil(20, { (try? self.alerts()) != nil }) else {
            throw HarnessError("alertmanager did not answer on \(port): \(process.log)")
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// `GET /api/v2/alerts`: the alerts it holds (active, not yet resolved).
    func alerts() throws -> [[String: Any]] {
        let result = try runCommand("/usr/bin/curl", ["-sf", "--max-time", "2", url + "/api/v2/alerts"])
        guard result.status == 0 else { throw HarnessError("GET /api/v2/alerts failed (\(result.status))") }
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    func stop() { process.stop() }
}
