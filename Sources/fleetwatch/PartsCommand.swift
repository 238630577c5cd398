import ArgumentParser
import FleetControl

struct PartsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parts",
        abstract: "Mark an incident as needing a major part: its repair clock stops and a plan is due by plan_by.")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @OptionGroup var action: ActionOptions
    @Option(name: .long, help: "A note for the timeline (which part, why).") var note: String?

    func validate() throws { try IncidentArgument.check(id) }

    func run() throws {
        print(try action.send(.parts(incident: try IncidentArgument.parse(id), by: action.by, note: note)))
    }
}
