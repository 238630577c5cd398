import ArgumentParser

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve an incident by hand.")

    @Argument(help: "Incident id, e.g. INC-000123.") var id: String
    @OptionGroup var action: ActionOptions
    @Option(name: .long, help: "How it was fixed (recorded with the RESOLVE line).") var note: String?

    func validate() throws { try IncidentArgument.check(id) }

    func run() throws {
        print(try action.client().send([("op", .string("resolve")), ("incident", .string(id)), ("by", .string(action.by)),
                                        ("note", .optional(note))]))
    }
}
