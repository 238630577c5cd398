import ArgumentParser
import FleetControl

/// What every changing command shares: the config (for the socket path) and `--by`.
struct ActionOptions: ParsableArguments {
    @OptionGroup var config: ConfigOptions
    @Option(name: .long, help: "Who does it (recorded in the incident's timeline).") var by: String

    func validate() throws {
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--by must name who does it")
        }
    }

    /// Sends `request` to the daemon named by the config; returns its message.
    func send(_ request: ControlRequest) throws -> String {
        try ControlClient(path: try config.load().control.socket).perform(request)
    }
}
