import ArgumentParser
import FleetControl

struct DispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch", abstract: "An engineer is sent on site: starts the on-site clock (onsite_by).")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @OptionGroup var action: ActionOptions

    func validate() throws { try IncidentArgument.check(id) }

    func run() throws {
        print(try action.send(.dispatch(incident: try IncidentArgument.parse(id), by: action.by)))
    }
}
