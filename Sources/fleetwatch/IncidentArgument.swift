import ArgumentParser
import FleetCore

/// Incident ids on the command line: `INC-000123` (the digits alone are accepted too).
enum IncidentArgument {
    static func check(_ id: String) throws {
        _ = try parse(id)
    }

    /// The incident's number; a usage error (exit 2) for anything else.
    static func parse(_ id: String) throws -> Int64 {
        guard let number = Incident.parseLabel(id) else {
            throw ValidationError("incident id must look like INC-000123 (got \"\(id)\")")
        }
        return number
    }
}
