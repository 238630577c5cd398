import ArgumentParser
import FleetControl

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve an incident by hand.")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @OptionGroup var action: ActionOptions
    @Option(name: .long, help: "How it was fixed (recorded with the RESOLVE line).") var note: String?

    func validate() throws { try IncidentArgument.check(id) }

    func run() throws {
        print(try action.send(.resolve(incident: try IncidentArgument.parse(id), by: action.by, note: note)))
    }
}
