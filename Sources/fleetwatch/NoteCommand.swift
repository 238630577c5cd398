import ArgumentParser
import FleetControl
import Foundation

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Add a note to an open incident's timeline.")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @Argument(help: "The note.") var text: String
    @OptionGroup var action: ActionOptions

    func validate() throws {
        try IncidentArgument.check(id)
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the note is empty") }
    }

    func run() throws {
        print(try action.send(.note(incident: try IncidentArgument.parse(id), by: action.by, text: text)))
    }
}
