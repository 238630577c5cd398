import ArgumentParser
import FleetControl
import FleetCore

extension NotifyCommand {
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract:
                "Send one TEST event to a channel now; exit 0 when its receiver answered 2xx, else 1 with the reason.")

        @Argument(help: "The channel's name ([[notify]] name).") var name: String
        @OptionGroup var options: ConfigOptions

        func validate() throws {
            guard !name.isEmpty else { throw ValidationError("the channel's name must not be empty") }
        }

        func run() throws {
            let configuration = try options.load()
            // Named in the file, or nothing to ask the daemon about (it runs what the file says,
            // once reloaded): a typo gets the channel list, not "daemon not reachable".
            guard let channel = configuration.notify.first(where: { $0.name == name }) else {
                // The daemon's words for the same mistake.
                let names = configuration.notify.map(\.name)
                let known = names.isEmpty ? "none is configured" : "configured: " + names.joined(separator: ", ")
                throw CLIFailure("no notification channel named \(TextSafety.forTerminal(name)) (\(known))")
            }
            var client = ControlClient(path: configuration.control.socket)
            // The daemon answers once the receiver has (or its timeout_s has passed).
            client.replyTimeout = channel.timeoutSeconds + 10
            print(try client.perform(.notifyTest(channel: name)))
        }
    }
}
