import ArgumentParser
import FleetControl

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge an incident (stops its respond_by clock).")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @OptionGroup var action: ActionOptions
    @Option(name: .long, help: "A note for the timeline.") var note: String?

    func validate() throws { try IncidentArgument.check(id) }

    func run() throws {
        print(try action.send(.acknowledge(incident: try IncidentArgument.parse(id), by: action.by, note: note)))
    }
}
