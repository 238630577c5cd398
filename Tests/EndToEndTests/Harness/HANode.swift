import Foundation
import XCTest

/// One daemon of an HA group in an end-to-end test (SPEC §15): a configuration of its own (node
/// name, control socket, alert log), the test's broker and the test's PostgreSQL database.
struct HANode {
    let name: String
    let configPath: String
    let alertLogPath: String

    /// Its alert log, parsed.
    func alerts() throws -> [AlertLine] {
        let text = (try? String(contentsOfFile: alertLogPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            guard let parsed = AlertLine(String(line)) else { throw HarnessError("not an alert line: \(line)") }
            return parsed
        }
    }
}

extension EndToEndTestCase {
    /// Writes one configuration per node: `writeConfig`'s (with `[ha] enabled` and the node's
    /// name), the node's own socket and alert log, on this test's database (`usePostgres()`).
    func writeNodeConfigs(
        _ names: [String], grace: Double = 1, resolveAfter: Double = 1,
        extra: String = ""
    ) throws -> [HANode] {
        try usePostgres()
        return try names.map { name in
            try writeConfig(
                grace: grace, resolveAfter: resolveAfter, extra: extra + "\n[ha]\nenabled = true\nnode = \"\(name)\"\n")
            let base = try String(contentsOfFile: configPath, encoding: .utf8)
            let node = HANode(
                name: name, configPath: directory + "/\(name).toml",
                alertLogPath: directory + "/alerts-\(name).log")
            let text =
                base
                .replacingOccurrences(
                    of: "alert_log = \"\(alertLogPath)\"", with: "alert_log = \"\(node.alertLogPath)\""
                )
                .replacingOccurrences(
                    of: "socket = \"\(controlSocketPath)\"",
                    with: "socket = \"\(directory)/control-\(name).sock\"")
            guard text.contains(node.alertLogPath), text.contains("control-\(name).sock") else {
                throw HarnessError("the node configuration kept the shared paths: \(text)")
            }
            try text.write(toFile: node.configPath, atomically: true, encoding: .utf8)
            return node
        }
    }

    /// Starts the node's daemon and waits until it is subscribed.
    @discardableResult
    func startNode(_ node: HANode, waitForBroker: Bool = true) throws -> ChildProcess {
        let child = try ChildProcess(
            name: "fleetwatchd-\(node.name)", executable: Binaries.path("fleetwatchd"),
            arguments: ["--config", node.configPath],
            logPath: directory + "/fleetwatchd-\(node.name).log")
        children.append(child)
        guard waitForBroker else { return child }
        guard waitUntil(15, { child.log.contains("broker connected") || !child.isRunning }), child.isRunning else {
            throw HarnessError("fleetwatchd \(node.name) did not connect: \(child.log)")
        }
        return child
    }

    /// `fleetwatch ARGUMENTS` with the node's configuration.
    func cli(_ arguments: [String], on node: HANode) throws -> CommandResult {
        try runCommand(Binaries.path("fleetwatch"), arguments + ["--config", node.configPath])
    }

    func status(of node: HANode) throws -> CLIStatus {
        let command = ["status", "--json"]
        let result = try cli(command, on: node)
        guard result.status == 0 else { throw HarnessError("fleetwatch status on \(node.name): \(result.stderr)") }
        return try decodeCLIOutput(CLIStatus.self, from: result.stdout, command: command)
    }

    /// The node's role while its daemon runs; nil when stopped.
    func runningRole(of node: HANode) throws -> CLIStatus.Role? {
        let status = try status(of: node)
        return status.daemon == .running ? status.role : nil
    }

    /// `fleetwatch incidents --all --json` read through the node's configuration.
    func allIncidents(on node: HANode) throws -> [CLIIncident] {
        let command = ["incidents", "--all", "--json"]
        let result = try cli(command, on: node)
        guard result.status == 0 else { throw HarnessError("fleetwatch incidents on \(node.name): \(result.stderr)") }
        return try decodeCLIOutput([CLIIncident].self, from: result.stdout, command: command)
    }
}
