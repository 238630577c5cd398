import ArgumentParser
import FleetCore

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an incident (stops its respond_by clock).")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @OptionGroup var action: ActionOptions
    @Option(name: .long, help: "A note for the timeline.") var note: String?

    func validate() throws { try IncidentArgument.check(id) }

    func run() throws {
        print(try action.client().send([("op", .string("ack")), ("incident", .string(id)), ("by", .string(action.by)),
                                        ("note", .optional(note))]))
    }
}

/// Incident ids on the command line: `INC-000123` (the digits alone are accepted too).
enum IncidentArgument {
    static func check(_ id: String) throws {
        guard Incident.parseLabel(id) != nil else { throw ValidationError("incident id must look like INC-000123 (got \"\(id)\")") }
    }
}
