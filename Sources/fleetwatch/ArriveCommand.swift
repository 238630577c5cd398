import ArgumentParser
import FleetControl

struct ArriveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrive", abstract: "The dispatched engineer has arrived on site.")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @OptionGroup var action: ActionOptions

    func validate() throws { try IncidentArgument.check(id) }

    func run() throws {
        print(try action.send(.arrive(incident: try IncidentArgument.parse(id), by: action.by)))
    }
}
