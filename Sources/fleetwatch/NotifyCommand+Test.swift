import ArgumentParser
import FleetControl

extension NotifyCommand {
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract:
                "Send one TEST event to a channel now; exit 0 when its receiver answered 2xx, else 1 with the reason.")

        @Argument(help: "The channel's name ([[notify]] name).") var name: String
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let configuration = try options.load()
            var client = ControlClient(path: configuration.control.socket)
            // The daemon answers once the receiver has (or its timeout_s has passed).
            let timeout = configuration.notify.first { $0.name == name }?.timeoutSeconds ?? 10
            client.replyTimeout = timeout + 10
            print(try client.perform(.notifyTest(channel: name)))
        }
    }
}
