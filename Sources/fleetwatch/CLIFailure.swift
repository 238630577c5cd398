/// A command that could not do its job: one line on stderr, exit 1.
struct CLIFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
