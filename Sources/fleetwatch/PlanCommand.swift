import ArgumentParser
import FleetControl
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Record the concrete solution for an incident's major part (after fleetwatch parts).")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @Argument(help: "The plan: what will be done, by when.") var text: String
    @OptionGroup var action: ActionOptions

    func validate() throws {
        try IncidentArgument.check(id)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the plan is empty") }
    }

    func run() throws {
        print(try action.send(.plan(incident: try IncidentArgument.parse(id), by: action.by, text: text)))
    }
}
