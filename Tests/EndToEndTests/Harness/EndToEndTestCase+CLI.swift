import Foundation
import XCTest

/// The CLI's reading commands, decoded into the SPEC §8 shapes (`CLIStatus`, `CLIDevice`,
/// `CLIIncident`, …). A non-zero exit or JSON of the wrong shape throws with the output shown.
extension EndToEndTestCase {
    /// Runs `fleetwatch ARGUMENTS --json` and decodes what it printed as `T`.
    func cliDecode<T: Decodable>(_ type: T.Type, _ arguments: [String]) throws -> T {
        let command = arguments + ["--json"]
        let result = try cli(command)
        guard result.status == 0 else {
            throw HarnessError("fleetwatch \(command.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return try decodeCLIOutput(T.self, from: result.stdout, command: command)
    }

    func daemonStatus() throws -> CLIStatus { try cliDecode(CLIStatus.self, ["status"]) }

    /// `fleetwatch incidents --json`: the open incidents.
    func openIncidents(_ filters: [String] = []) throws -> [CLIIncident] {
        try cliDecode([CLIIncident].self, ["incidents"] + filters)
    }

    /// `fleetwatch incidents --all --json`: every incident, resolved ones too.
    func allIncidents() throws -> [CLIIncident] { try cliDecode([CLIIncident].self, ["incidents", "--all"]) }

    func incidentDetail(_ id: String) throws -> CLIIncidentDetail {
        try cliDecode(CLIIncidentDetail.self, ["incident", id])
    }

    func deviceList(_ filters: [String] = []) throws -> [CLIDevice] {
        try cliDecode([CLIDevice].self, ["devices"] + filters)
    }

    /// Devices by id; a repeated id is an error (the listing must have one row per device).
    func deviceTable() throws -> [String: CLIDevice] {
        var table: [String: CLIDevice] = [:]
        for device in try deviceList() {
            guard table.updateValue(device, forKey: device.id) == nil else {
                throw HarnessError("fleetwatch devices lists \(device.id) twice")
            }
        }
        return table
    }

    func device(_ id: String) throws -> CLIDevice? { try deviceTable()[id] }

    func deviceState(_ id: String) throws -> String? { try device(id)?.state }

    /// How many devices are in `state`, from `fleetwatch devices`.
    func deviceCount(inState state: String) throws -> Int { try deviceList().filter { $0.state == state }.count }

    func maintenanceWindows() throws -> [CLIMaintenanceWindow] {
        try cliDecode([CLIMaintenanceWindow].self, ["maintenance", "list"])
    }

    // MARK: - The original untyped readers, kept for callers not yet moved to the types above.
    // They are strict now: a wrong shape throws instead of reading as empty.

    /// Runs a listing command with `--json` and parses it.
    func cliJSON(_ arguments: [String]) throws -> Any {
        let result = try cli(arguments + ["--json"])
        guard result.status == 0 else { throw HarnessError("fleetwatch \(arguments) failed: \(result.stderr)") }
        do {
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        } catch {
            throw HarnessError(
                "fleetwatch \(arguments) --json printed no JSON: \(error)\noutput: \(result.stdout.prefix(4000))")
        }
    }

    func incidents(all: Bool = false) throws -> [[String: Any]] {
        let arguments = ["incidents"] + (all ? ["--all"] : [])
        let value = try cliJSON(arguments)
        guard let list = value as? [[String: Any]] else {
            throw HarnessError("fleetwatch \(arguments) --json is not an array of objects: \(value)")
        }
        return list
    }

    func devices() throws -> [String: [String: Any]] {
        let value = try cliJSON(["devices"])
        guard let list = value as? [[String: Any]] else {
            throw HarnessError("fleetwatch devices --json is not an array of objects: \(value)")
        }
        var table: [String: [String: Any]] = [:]
        for row in list {
            guard let id = row["id"] as? String else { throw HarnessError("a device row without an id: \(row)") }
            guard table.updateValue(row, forKey: id) == nil else {
                throw HarnessError("fleetwatch devices lists \(id) twice")
            }
        }
        return table
    }

    func status() throws -> [String: Any] {
        let value = try cliJSON(["status"])
        guard let object = value as? [String: Any] else {
            throw HarnessError("fleetwatch status --json is not an object: \(value)")
        }
        return object
    }
}
